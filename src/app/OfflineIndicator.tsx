import { useOnline } from '../sync/use-online';

/**
 * Header badge "Offline" while the browser reports no network (`navigator.onLine` false), with a tooltip and
 * screen-reader text saying what still works; renders nothing while online. A live region, so the change is
 * announced.
 */
export default function OfflineIndicator() {
  const online = useOnline();
  return (
    <span className="offline-indicator-region" role="status">
      {online ? null : (
        <span
          className="offline-indicator"
          title="No connection: the catalog, saved 3D models and your cart still work on this device."
        >
          Offline
          <span className="visually-hidden">
            : no connection. The catalog, saved 3D models and your cart still work on this device.
          </span>
        </span>
      )}
    </span>
  );
}
