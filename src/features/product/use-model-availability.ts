/**
 * Whether a product's 3D model can be shown now: always when the browser is online; offline only when the
 * model's file is in Cache Storage (the service worker then answers it). Re-checked when the connection goes and
 * when it is back (sync/reconnect.ts), so a view waiting for the connection loads without a reload.
 */
import { useEffect, useState } from 'react';
import { onReconnect } from '../../sync/reconnect';

/** `checking` until known; `needs-connection` when offline and the file was never saved on this device. */
export type ModelAvailability = 'checking' | 'available' | 'needs-connection';

async function check(url: string): Promise<ModelAvailability> {
  if (navigator.onLine || typeof caches === 'undefined') return 'available';
  return (await caches.match(url)) ? 'available' : 'needs-connection';
}

/** The availability of the model at `url`, kept up to date with the connection. */
export function useModelAvailability(url: string): ModelAvailability {
  const [known, setKnown] = useState<{ url: string; availability: ModelAvailability } | null>(null);

  useEffect(() => {
    let current = true;
    const update = (): void => {
      void check(url).then((availability) => {
        if (current) setKnown({ url, availability });
      });
    };
    update();
    // Back online, the view loads once the connection is really back; going offline is known at once.
    const stopReconnect = onReconnect(update);
    window.addEventListener('offline', update);
    return () => {
      current = false;
      stopReconnect();
      window.removeEventListener('offline', update);
    };
  }, [url]);

  if (known?.url === url) return known.availability;
  // Online needs no lookup: don't hold the first frame back for one.
  return navigator.onLine ? 'available' : 'checking';
}
