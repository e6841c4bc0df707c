import { Component, type ReactNode } from 'react';

interface ViewerBoundaryProps {
  /** What to show instead of the viewer when it fails (the poster and a sentence). */
  fallback: ReactNode;
  children: ReactNode;
}

interface ViewerBoundaryState {
  /** Whether the viewer (or its code download) failed. */
  failed: boolean;
}

/** Keeps a failing 3D viewer from taking the whole product page down with it. */
export default class ViewerBoundary extends Component<ViewerBoundaryProps, ViewerBoundaryState> {
  override state: ViewerBoundaryState = { failed: false };

  static getDerivedStateFromError(): ViewerBoundaryState {
    return { failed: true };
  }

  override componentDidCatch(error: unknown): void {
    console.error('3D viewer failed', error);
  }

  override render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}
