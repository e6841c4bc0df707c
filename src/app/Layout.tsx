import { useEffect, type ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import CartLink from './CartLink';
import ErrorBoundary from './ErrorBoundary';
import NavLink from './NavLink';
import OfflineIndicator from './OfflineIndicator';
import ReloadForUpgradePrompt from './ReloadForUpgradePrompt';
import StorageNotice from './StorageNotice';
import UpdatePrompt from './UpdatePrompt';

/**
 * Header with the site navigation, the offline badge and the cart badge, then the current page in `<main>`,
 * the update prompt when a new version of the app waits, the reload prompt when another tab upgraded the
 * database, and the notice of what a full disk removed.
 */
export default function Layout({ children }: { children: ReactNode }) {
  const [pathname] = useLocation();

  // A new page starts at its top; filter changes (same path) keep the scroll position.
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [pathname]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <nav className="site-nav" aria-label="Site">
          <Link className="site-logo" to="/">
            Vitrine
          </Link>
          <NavLink className="site-nav-link" to="/showrooms">
            Showrooms
          </NavLink>
          <OfflineIndicator />
          <NavLink className="site-nav-link" to="/orders">
            Orders
          </NavLink>
          <CartLink />
        </nav>
      </header>
      <UpdatePrompt />
      <ReloadForUpgradePrompt />
      <StorageNotice />
      <main id="main" className="site-main" tabIndex={-1}>
        <ErrorBoundary key={pathname}>{children}</ErrorBoundary>
      </main>
    </>
  );
}
