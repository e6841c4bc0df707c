import { Link } from 'wouter';

/** Shown for any address the app has no page for. */
export default function NotFoundPage() {
  return (
    <section className="not-found">
      <title>Page not found · Vitrine</title>
      <h1>Page not found</h1>
      <p>There is no page at this address.</p>
      <p>
        <Link to="/">Browse the catalog</Link>
      </p>
    </section>
  );
}
