/**
 * Entry point: starts the first catalog pull and mounts the app. The app renders from the local database at
 * once; the pull fills it in the background.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startCatalogPull } from '../sync/request-pull';
import App from './App';
import '../styles/global.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element to mount the app in.');

startCatalogPull();

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
