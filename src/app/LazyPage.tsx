import { Suspense, type ReactNode } from 'react';

interface LazyPageProps {
  /** What is loading, in words: "product" → "Loading product…". */
  what: string;
  children: ReactNode;
}

/** Suspense boundary for a page whose code loads on demand; says what it is waiting for. */
export default function LazyPage({ what, children }: LazyPageProps) {
  return (
    <Suspense
      fallback={
        <p className="page-loading" role="status">
          Loading {what}…
        </p>
      }
    >
      {children}
    </Suspense>
  );
}
