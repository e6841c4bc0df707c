import type { ReactNode } from 'react';
import { Link, useLocation } from 'wouter';

interface NavLinkProps {
  /** Path the link goes to; the link is current on that path and on any path below it. */
  to: string;
  className: string;
  'aria-label'?: string;
  children: ReactNode;
}

/**
 * A site navigation link that marks itself as the current page: `aria-current="page"` and the `active` class
 * on its own path and below it (`/cart`, `/cart/…`).
 */
export default function NavLink({ to, className, children, ...rest }: NavLinkProps) {
  const [path] = useLocation();
  const current = path === to || path.startsWith(`${to}/`);
  return (
    <Link
      to={to}
      className={current ? `${className} active` : className}
      aria-current={current ? 'page' : undefined}
      {...rest}
    >
      {children}
    </Link>
  );
}
