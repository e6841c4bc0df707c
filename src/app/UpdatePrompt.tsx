import { useSyncExternalStore } from 'react';
import { getUpdateStatus, subscribeUpdateStatus } from '../pwa/update-status';

/**
 * Non-modal banner "New version available — Reload" shown while a new version of the app waits; its Reload
 * button switches to it (the page reloads once the new version is in control). Renders nothing otherwise.
 */
export default function UpdatePrompt() {
  const update = useSyncExternalStore(subscribeUpdateStatus, getUpdateStatus, getUpdateStatus);
  if (update.state !== 'waiting') return null;
  return (
    <div className="update-prompt" role="status">
      <span>New version available</span>
      <button type="button" className="button-primary" onClick={update.apply}>
        Reload
      </button>
    </div>
  );
}
