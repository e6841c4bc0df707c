import { Component, type ErrorInfo, type ReactNode } from 'react';

interface ErrorBoundaryProps {
  children: ReactNode;
}

interface ErrorBoundaryState {
  /** The error a child threw while rendering, if any. */
  error: Error | undefined;
}

/** A page's code failed to download (offline, or a newer deployment replaced the file). */
function isChunkLoadError(error: Error): boolean {
  return /dynamically imported module|Importing a module script failed|error loading dynamically/i.test(
    error.message,
  );
}

/** Catches a page that fails to render and says so plainly instead of leaving a blank screen. */
export default class ErrorBoundary extends Component<ErrorBoundaryProps, ErrorBoundaryState> {
  override state: ErrorBoundaryState = { error: undefined };

  static getDerivedStateFromError(error: unknown): ErrorBoundaryState {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('Page failed to render', error, info.componentStack);
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    const chunk = isChunkLoadError(error);
    return (
      <section className="page-error" role="alert">
        <h1>{chunk ? 'This page could not be loaded' : 'Something went wrong'}</h1>
        <p>
          {chunk
            ? 'Part of the app could not be downloaded. If you are offline, connect and try again.'
            : 'This page hit an error and could not be shown. Your cart is safe on this device.'}
        </p>
        <p className="page-error-detail">{error.message}</p>
        <button type="button" onClick={() => window.location.reload()}>
          Reload the page
        </button>
      </section>
    );
  }
}
