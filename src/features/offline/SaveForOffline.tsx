import { useEffect, useState } from 'react';
import { formatBytes } from '../../core/bytes';
import { useLiveQuery } from 'dexie-react-hooks';
import { pinnedAssets } from '../../db/asset-index';
import { useSessionSupported } from '../../xr/use-session-supported';
import { pinOf, targetFiles, type OfflineTarget } from './offline-files';
import { askPersistenceOnce, describeSaveError, removeFromOffline, saveForOffline } from './save-offline';
import './offline.css';

type Phase =
  | { state: 'idle' }
  | { state: 'saving'; done: number; total: number }
  | { state: 'removing' }
  | { state: 'error'; message: string };

/** Storage used by the app and still available, from `navigator.storage.estimate()`. */
function useStorageEstimate(when: boolean): { usage: number; available: number } | undefined {
  const [estimate, setEstimate] = useState<{ usage: number; available: number }>();
  useEffect(() => {
    if (!when || !navigator.storage?.estimate) return;
    let live = true;
    void navigator.storage.estimate().then(({ usage = 0, quota = 0 }) => {
      if (live) setEstimate({ usage, available: Math.max(0, quota - usage) });
    });
    return () => {
      live = false;
    };
  }, [when]);
  return when ? estimate : undefined;
}

/**
 * Whether the controller and hand models VR needs are cached: `undefined` while unknown, and always `true` where
 * the browser cannot do immersive VR (nothing to save). Checked again whenever `recheck` changes.
 */
function useInputProfilesSaved(vr: boolean, recheck: unknown): boolean | undefined {
  const [saved, setSaved] = useState<boolean>();
  useEffect(() => {
    if (!vr) return;
    let live = true;
    // Loaded only on a headset: other devices never need it.
    void import('../../xr/input-profile-offline')
      .then(({ inputProfilesSaved }) => inputProfilesSaved())
      .then(
        (yes) => live && setSaved(yes),
        () => live && setSaved(false),
      );
    return () => {
      live = false;
    };
  }, [vr, recheck]);
  return vr ? saved : true;
}

/**
 * "Save for offline" for a showroom (every model and poster of the products on its stands) or a product (its
 * model and poster), and on a VR headset the controller and hand models too: a progress bar in bytes while
 * saving, then "Saved for offline" with the storage used and available, and "Remove from offline". Reads what is
 * saved from the asset index (and on a headset the input profile cache), so every tab agrees; a save made before
 * the controller models were part of it, or whose controller models failed, offers "Save for offline" again.
 */
export default function SaveForOffline({ target }: { target: OfflineTarget }) {
  const { kind, id } = target;
  const pin = pinOf({ kind, id });
  const files = useLiveQuery(() => targetFiles({ kind, id }), [kind, id]);
  const pinned = useLiveQuery(() => pinnedAssets(pin), [pin]);
  const [phase, setPhase] = useState<Phase>({ state: 'idle' });
  // On a VR headset the controller and hand models are saved too, so that VR works offline.
  const vr = useSessionSupported('immersive-vr');

  const profilesSaved = useInputProfilesSaved(vr, phase);
  const saved =
    files !== undefined &&
    pinned !== undefined &&
    files.length > 0 &&
    files.every((f) => pinned.some((e) => e.url === f.url && e.cached === 1)) &&
    profilesSaved === true;
  const estimate = useStorageEstimate(saved && phase.state === 'idle');

  if (files === undefined || files.length === 0) return null;
  const what = kind === 'showroom' ? 'this showroom' : 'this product';
  const totalBytes = files.reduce((sum, f) => sum + f.bytes, 0);

  const save = async () => {
    try {
      await saveForOffline(pin, files, (done, total) => setPhase({ state: 'saving', done, total }));
      if (vr) {
        // Loaded only on a headset: other devices never need it.
        const { saveInputProfilesForOffline } = await import('../../xr/input-profile-offline');
        await saveInputProfilesForOffline();
      }
      await askPersistenceOnce();
      setPhase({ state: 'idle' });
    } catch (err) {
      setPhase({ state: 'error', message: describeSaveError(err) });
    }
  };

  const remove = async () => {
    setPhase({ state: 'removing' });
    try {
      await removeFromOffline(pin);
      setPhase({ state: 'idle' });
    } catch (err) {
      setPhase({
        state: 'error',
        message: `The saved files could not all be removed: ${err instanceof Error ? err.message : String(err)}`,
      });
    }
  };

  return (
    <section className="save-offline" aria-label="Offline use">
      {phase.state === 'saving' ? (
        <div className="save-offline-progress">
          <progress aria-label="Saving for offline" value={phase.done} max={phase.total || 1} />
          <p>
            {formatBytes(phase.done)} of {formatBytes(phase.total)}
          </p>
        </div>
      ) : phase.state === 'removing' ? (
        // Pins go first and the files after: keep "Save for offline" back until the files are gone too.
        <p className="save-offline-saved" role="status">
          Removing the saved files…
        </p>
      ) : saved ? (
        <>
          <p className="save-offline-saved" role="status">
            Saved for offline
          </p>
          {estimate && (
            <p className="save-offline-storage">
              Vitrine uses {formatBytes(estimate.usage)} on this device; {formatBytes(estimate.available)}{' '}
              more is available.
            </p>
          )}
          <button type="button" onClick={() => void remove()}>
            Remove from offline
          </button>
        </>
      ) : (
        <>
          <button type="button" onClick={() => void save()}>
            Save for offline
          </button>
          <p className="save-offline-size">
            Keeps the 3D models and photos of {what} on this device ({formatBytes(totalBytes)})
            {vr ? ', and the VR controller and hand models' : ''}.
          </p>
        </>
      )}
      {phase.state === 'error' && (
        <p className="notice notice-error" role="alert">
          {phase.message}
        </p>
      )}
    </section>
  );
}
