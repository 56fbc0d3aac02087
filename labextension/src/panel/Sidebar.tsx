/**
 * The "Lifecycle" sidebar: the active notebook's issue, or the forms that link it to one; then
 * its parameters cell and its latest recorded runs, one of which can show its details.
 */
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ReactWidget } from '@jupyterlab/ui-components';
import React from 'react';

import { DslApiError, IssueType, StateFilter, TemplatesReply } from '../api';
import { lifecycleIcon } from '../icon';
import { asApiError, DslModel } from '../model';
import { ErrorBoundary, ErrorBox, TypeColors, useSignal } from './common';
import { IssueView } from './IssueView';
import { LinkPicker } from './LinkPicker';
import { NewIssueForm } from './NewIssueForm';
import { ParamsSection } from './RunsView';
import { RunsPanel } from './RunsPanel';
import { BatchSection, useBatchModel } from './BatchSection';

export const SIDEBAR_ID = 'jupyter-dsl:sidebar';

/** The badge colors of the templates route, by type. */
export function colorsOf(templates: TemplatesReply | null): TypeColors {
  const colors: TypeColors = {};
  for (const info of templates?.types ?? []) {
    colors[info.type] = info.color;
  }
  return colors;
}

function useTemplates(model: DslModel): [TemplatesReply | null, DslApiError | null] {
  const [templates, setTemplates] = React.useState<TemplatesReply | null>(null);
  const [error, setError] = React.useState<DslApiError | null>(null);
  const path = model.path;
  React.useEffect(() => {
    if (templates !== null || path === null) {
      return;
    }
    let current = true;
    model.templates().then(
      reply => {
        if (current) {
          setTemplates(reply);
          setError(null);
        }
      },
      caught => current && setError(asApiError(caught))
    );
    return () => {
      current = false;
    };
  }, [model, path, templates]);
  return [templates, error];
}

function useFocusRequests(model: DslModel): number {
  const [count, setCount] = React.useState(0);
  React.useEffect(() => {
    const onRequest = (): void => setCount(value => value + 1);
    model.newIssueRequested.connect(onRequest);
    return () => {
      model.newIssueRequested.disconnect(onRequest);
    };
  }, [model]);
  return count;
}

/** Opens a run's output notebook (read-only) in the main area. */
export type OpenRunNotebook = (id: string) => void;

export function LifecyclePanel(props: {
  model: DslModel;
  rendermime: IRenderMimeRegistry;
  onOpenRunNotebook: OpenRunNotebook;
}): JSX.Element {
  const { model, rendermime } = props;
  useSignal(model.changed);
  const [templates, templatesError] = useTemplates(model);
  const focusRequest = useFocusRequests(model);
  const batches = useBatchModel(model);
  const [unlinkError, setUnlinkError] = React.useState<DslApiError | null>(null);
  const listIssues = React.useCallback(
    (query: { type?: IssueType; state?: StateFilter }) => model.listIssues(query),
    [model]
  );
  const listAsks = React.useCallback(
    () => model.listIssues({ type: 'Ask', state: 'open' }),
    [model]
  );
  const colors = colorsOf(templates);
  const path = model.path;
  const unlink = (): void => {
    try {
      setUnlinkError(null);
      model.unlink();
    } catch (error) {
      setUnlinkError(asApiError(error));
    }
  };

  let content: JSX.Element;
  if (path === null) {
    content = (
      <p className="jp-dsl-muted" data-testid="dsl-no-notebook">
        No notebook is active. Open a notebook to see or set its issue.
      </p>
    );
  } else if (model.link.kind === 'linked') {
    content = (
      <IssueView
        link={model.link.link}
        details={model.details}
        error={model.error}
        loading={model.loading}
        currentBranch={model.currentBranch}
        colors={colors}
        rendermime={rendermime}
        onUnlink={unlink}
        onRefresh={() => void model.refresh()}
      />
    );
  } else {
    content = (
      <>
        {model.link.kind === 'invalid' ? (
          <div data-testid="dsl-invalid-link">
            <ErrorBox
              error={
                new DslApiError(
                  0,
                  model.link.reason,
                  'Unlink it, then link the notebook again.'
                )
              }
            />
            <button
              className="jp-mod-styled jp-mod-warn"
              onClick={unlink}
              data-testid="dsl-unlink"
            >
              Unlink
            </button>
          </div>
        ) : (
          <p className="jp-dsl-muted" data-testid="dsl-not-linked">
            This notebook is not linked to an issue.
          </p>
        )}
        <LinkPicker
          path={path}
          colors={colors}
          listIssues={listIssues}
          onLink={number => model.linkTo(number)}
        />
        <NewIssueForm
          path={path}
          templates={templates}
          templatesError={templatesError}
          listAsks={listAsks}
          onCreate={request => model.createAndLink(request)}
          focusRequest={focusRequest}
        />
      </>
    );
  }
  return (
    <div className="jp-dsl-panel" data-testid="dsl-sidebar">
      <header className="jp-dsl-header">
        <h2>Lifecycle</h2>
        {path !== null ? (
          <div className="jp-dsl-path" data-testid="dsl-notebook-path" title={path}>
            {path}
          </div>
        ) : null}
      </header>
      {content}
      <ErrorBox error={unlinkError} context="Could not unlink" />
      {path !== null ? (
        <>
          <ParamsSection path={path} params={model.params} />
          <RunsPanel
            model={model}
            path={path}
            onOpenRunNotebook={props.onOpenRunNotebook}
          />
          <BatchSection
            batches={batches}
            path={path}
            params={model.params}
            onOpenRun={props.onOpenRunNotebook}
          />
        </>
      ) : null}
    </div>
  );
}

export class LifecycleSidebar extends ReactWidget {
  constructor(
    private readonly model: DslModel,
    private readonly rendermime: IRenderMimeRegistry,
    private readonly openRunNotebook: OpenRunNotebook
  ) {
    super();
    this.id = SIDEBAR_ID;
    this.addClass('jp-dsl-sidebar');
    this.title.icon = lifecycleIcon;
    this.title.caption = 'Lifecycle';
  }

  protected render(): JSX.Element {
    return (
      <ErrorBoundary>
        <LifecyclePanel
          model={this.model}
          rendermime={this.rendermime}
          onOpenRunNotebook={this.openRunNotebook}
        />
      </ErrorBoundary>
    );
  }
}
