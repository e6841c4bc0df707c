import { Component, type ReactNode } from 'react';

/** Props of {@link ARErrorBoundary}. */
export interface ARErrorBoundaryProps {
  /** Called once with what failed (the AR code's download, WebGL, or a render error); AR shows nothing after. */
  onError: (error: unknown) => void;
  children: ReactNode;
}

interface ARErrorBoundaryState {
  /** Whether AR (or its code download) failed. */
  failed: boolean;
}

/** Keeps a failing AR try-on from taking the product page down with it: it reports the error and goes away. */
export class ARErrorBoundary extends Component<ARErrorBoundaryProps, ARErrorBoundaryState> {
  override state: ARErrorBoundaryState = { failed: false };

  static getDerivedStateFromError(): ARErrorBoundaryState {
    return { failed: true };
  }

  override componentDidCatch(error: unknown): void {
    console.error('AR try-on failed', error);
    this.props.onError(error);
  }

  override render() {
    return this.state.failed ? null : this.props.children;
  }
}
