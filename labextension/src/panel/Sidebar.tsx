/**
 * The "Lifecycle" sidebar: a header, then the sections of `SECTIONS` (sectionlist.tsx). When the
 * server extension is missing or of another version, a clear message instead of empty sections.
 */
import { ReactWidget } from '@jupyterlab/ui-components';
import React from 'react';

import { DslApiError } from '../api';
import { checkServer, ServerCheck } from '../compat';
import { lifecycleIcon } from '../icon';
import { ErrorBoundary, ErrorBox, useSignal } from './common';
import { ISidebarContext } from './context';
import { NoProject } from './NoProject';
import { SECTIONS } from './sectionlist';

export { colorsOf } from './IssueSection';

export const SIDEBAR_ID = 'jupyter-dsl:sidebar';

/** Opens a run's output notebook (read-only) in the main area. */
export type OpenRunNotebook = (id: string) => void;

function useServerCheck(context: ISidebarContext): [ServerCheck | null, () => void] {
  const [check, setCheck] = React.useState<ServerCheck | null>(null);
  const [attempt, setAttempt] = React.useState(0);
  React.useEffect(() => {
    let current = true;
    void checkServer(context.model.api).then(result => current && setCheck(result));
    return () => {
      current = false;
    };
  }, [context.model.api, attempt]);
  return [check, () => setAttempt(value => value + 1)];
}

export function LifecyclePanel(props: { context: ISidebarContext }): JSX.Element {
  const { context } = props;
  const { model } = context;
  useSignal(model.changed);
  const [server, retry] = useServerCheck(context);
  const path = model.path;
  let body: React.ReactNode;
  if (server === null) {
    body = (
      <p className="jp-dsl-muted" data-testid="dsl-server-checking">
        Connecting to the jupyter_dsl server extension…
      </p>
    );
  } else if (!server.ok) {
    body = (
      <div data-testid="dsl-server-problem">
        <ErrorBox error={new DslApiError(0, server.message, server.hint)} />
        <button
          className="jp-mod-styled"
          onClick={retry}
          data-testid="dsl-server-retry"
        >
          Check again
        </button>
      </div>
    );
  } else {
    const noProject = path !== null ? model.noProject : null;
    const sections = SECTIONS.filter(
      section =>
        (path !== null || !section.needsNotebook) &&
        (noProject === null || !section.needsProject)
    ).map(section => (
      <div
        key={section.id}
        className="jp-dsl-section-slot"
        role="region"
        aria-label={section.label}
        data-section={section.id}
      >
        <section.component context={context} />
      </div>
    ));
    body =
      noProject === null ? (
        sections
      ) : (
        <>
          <NoProject context={context} problem={noProject} />
          {sections}
        </>
      );
  }
  return (
    <div
      className="jp-dsl-panel"
      data-testid="dsl-sidebar"
      aria-label="Lifecycle sidebar"
      aria-busy={model.loading || model.runsLoading || model.refreshing}
      data-refreshing={model.refreshing ? 'true' : undefined}
    >
      <header className="jp-dsl-header">
        <h2>Lifecycle</h2>
        {path !== null ? (
          <div className="jp-dsl-path" data-testid="dsl-notebook-path" title={path}>
            {path}
          </div>
        ) : null}
      </header>
      {body}
    </div>
  );
}

export class LifecycleSidebar extends ReactWidget {
  constructor(private readonly context: ISidebarContext) {
    super();
    this.id = SIDEBAR_ID;
    this.addClass('jp-dsl-sidebar');
    this.title.icon = lifecycleIcon;
    this.title.caption = 'Lifecycle';
  }

  protected render(): JSX.Element {
    return (
      <ErrorBoundary>
        <LifecyclePanel context={this.context} />
      </ErrorBoundary>
    );
  }
}
