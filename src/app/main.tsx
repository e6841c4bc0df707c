/**
 * Entry point: starts the first catalog pull and (once the device has a cart to sync) the cart sync, and mounts
 * the app. The app renders from the local database at once; the pull fills it in the background. In production
 * builds the service worker is registered once the page has loaded, so its precache downloads do not compete
 * with the first render.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startCatalogPull } from '../sync/request-pull';
import App from './App';
import { startCartSyncWhenNeeded } from './cart-sync-start';
import '../styles/global.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element to mount the app in.');

startCatalogPull();
startCartSyncWhenNeeded();

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

if (import.meta.env.PROD) {
  const register = (): void => {
    void import('../pwa/register').then(({ registerServiceWorker }) => registerServiceWorker());
  };
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
