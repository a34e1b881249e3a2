import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  /** Which part of the page this guards, named in the message. */
  area: string;
  children: ReactNode;
}

/** Keeps one broken panel from blanking the whole app: shows the error in place with a way to retry. */
export class ErrorBoundary extends Component<Props, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`mmtrack-web: the ${this.props.area} failed`, error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="banner banner-error" role="alert">
        <span data-testid="error">
          The {this.props.area} failed: {this.state.error.message}
        </span>
        <button type="button" onClick={() => this.setState({ error: null })}>
          Retry
        </button>
      </div>
    );
  }
}
