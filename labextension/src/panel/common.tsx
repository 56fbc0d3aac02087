/**
 * Small pieces the sidebar's views share: the error box, the type badge and a signal hook.
 */
import { ISignal } from '@lumino/signaling';
import React from 'react';

import { DslApiError, IssueType } from '../api';
import { contrastColor, cssColor } from '../link';

/** Re-render a component whenever `signal` fires. */
export function useSignal<T>(signal: ISignal<T, void>): number {
  const [tick, setTick] = React.useState(0);
  React.useEffect(() => {
    const onSignal = (): void => setTick(value => value + 1);
    signal.connect(onSignal);
    return () => {
      signal.disconnect(onSignal);
    };
  }, [signal]);
  return tick;
}

/** The color of each type's badge, from the templates route (hex without `#`). */
export type TypeColors = Partial<Record<IssueType, string>>;

export function ErrorBox(props: {
  error: DslApiError | null;
  context?: string;
}): JSX.Element | null {
  const { error, context } = props;
  if (error === null) {
    return null;
  }
  return (
    <div className="jp-dsl-error" role="alert" data-testid="dsl-error">
      <div className="jp-dsl-error-message" data-testid="dsl-error-message">
        {context ? `${context}: ` : ''}
        {error.message}
      </div>
      {error.hint ? (
        <div className="jp-dsl-error-hint" data-testid="dsl-error-hint">
          {error.hint}
        </div>
      ) : null}
    </div>
  );
}

export function TypeBadge(props: {
  type: IssueType | null;
  colors: TypeColors;
  testid?: string;
}): JSX.Element {
  const { type, colors } = props;
  const hex = type ? colors[type] : undefined;
  const style =
    hex !== undefined
      ? { backgroundColor: cssColor(hex), color: contrastColor(hex) }
      : undefined;
  return (
    <span
      className="jp-dsl-badge"
      style={style}
      data-testid={props.testid ?? 'dsl-badge'}
      data-type={type ?? 'none'}
    >
      {type ?? 'Issue'}
    </span>
  );
}

interface IBoundaryState {
  error: Error | null;
}

/** Shows a failure of the sidebar's own code as an error, instead of an empty panel. */
export class ErrorBoundary extends React.Component<
  { children: React.ReactNode },
  IBoundaryState
> {
  state: IBoundaryState = { error: null };

  static getDerivedStateFromError(error: Error): IBoundaryState {
    return { error };
  }

  render(): React.ReactNode {
    const { error } = this.state;
    if (error === null) {
      return this.props.children;
    }
    return (
      <div className="jp-dsl-panel">
        <ErrorBox
          error={new DslApiError(0, `the Lifecycle sidebar failed: ${error.message}`)}
        />
        <button
          className="jp-mod-styled"
          onClick={() => this.setState({ error: null })}
          data-testid="dsl-retry"
        >
          Try again
        </button>
      </div>
    );
  }
}
