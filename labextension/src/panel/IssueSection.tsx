/**
 * The Issue section: the linked issue (badges, Ask breadcrumb with its other issues, branch and
 * switch, sanitized body), or the picker and the new-issue form that link the notebook to one.
 */
import React from 'react';

import { DslApiError, Issue, IssueType, StateFilter, TemplatesReply } from '../api';
import { tellFollowUp } from '../branchfollow';
import { DslModel } from '../model';
import { asApiError } from '../fetched';
import { ErrorBox, TypeColors, useSignal } from './common';
import { ForgeActions } from './ForgeActions';
import { ISidebarContext } from './context';
import { IssueVersions } from './IssueVersions';
import { IssueView } from './IssueView';
import { LinkPicker } from './LinkPicker';
import { NewIssueForm } from './NewIssueForm';
import { SyncBar } from './SyncBar';
import { linkQuestion, trackerKindOf } from './outward';

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

/** The issues of Ask `ask` (fetched when the Ask changes; null while unknown). */
function useSiblings(model: DslModel, ask: number | null): Issue[] | null {
  const [siblings, setSiblings] = React.useState<Issue[] | null>(null);
  React.useEffect(() => {
    setSiblings(null);
    if (ask === null) {
      return;
    }
    let current = true;
    model.listIssues({ state: 'all' }).then(
      list => current && setSiblings(list.filter(issue => issue.ask === ask)),
      () => current && setSiblings(null)
    );
    return () => {
      current = false;
    };
  }, [model, ask]);
  return siblings;
}

export function IssueSection(props: { context: ISidebarContext }): JSX.Element {
  const { model, rendermime, actions } = props.context;
  useSignal(model.changed);
  const [templates, templatesError] = useTemplates(model);
  const focusRequest = useFocusRequests(model);
  const [error, setError] = React.useState<DslApiError | null>(null);
  const [branchBusy, setBranchBusy] = React.useState(false);
  const [created, setCreated] = React.useState(0);
  const listIssues = React.useCallback(
    (query: { type?: IssueType; state?: StateFilter }) => model.listIssues(query),
    [model]
  );
  const listAsks = React.useCallback(
    () => model.listIssues({ type: 'Ask', state: 'open' }),
    [model]
  );
  const link = model.link;
  const askNumber =
    link.kind === 'linked' ? (model.details?.issue.ask ?? link.link.ask) : null;
  const siblings = useSiblings(model, askNumber);
  const colors = colorsOf(templates);
  const path = model.path;
  const shown = model.details?.issue;
  const versioned =
    shown !== undefined && (shown.type === 'Data' || shown.type === 'Model')
      ? shown.number
      : null;
  const loadVersions = React.useCallback(
    () => model.api.issueVersions(versioned ?? 0, path ?? ''),
    [model, versioned, path]
  );

  const unlink = (): void => {
    try {
      setError(null);
      model.unlink();
    } catch (caught) {
      setError(asApiError(caught));
    }
  };
  const linkTo = async (number: number, issue?: Issue): Promise<void> => {
    const question = linkQuestion(await trackerKindOf(model), number, issue);
    if (question === null || (await actions.confirm(question))) {
      await model.linkTo(number);
    }
  };
  const switchBranch = async (): Promise<void> => {
    const branch =
      model.link.kind === 'linked'
        ? model.details?.link.branch || model.link.link.branch
        : '';
    const ok = await actions.confirm({
      title: 'Switch git branch',
      body: `Switch the project's git repository to ${branch} (made from the base branch when it does not exist)? Files of other branches change on disk.`,
      accept: 'Switch'
    });
    if (!ok) {
      return;
    }
    setBranchBusy(true);
    setError(null);
    try {
      const result = await model.switchBranch();
      if (result.stash_note) {
        setError(new DslApiError(0, result.stash_note));
      }
      tellFollowUp(result, actions);
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBranchBusy(false);
    }
  };

  if (path === null) {
    return (
      <p className="jp-dsl-muted" data-testid="dsl-no-notebook">
        No notebook is active. Open a notebook to see or set its issue.
      </p>
    );
  }
  let content: JSX.Element;
  if (link.kind === 'linked') {
    content = (
      <>
        <IssueView
          link={link.link}
          details={model.details}
          error={model.error}
          loading={model.loading}
          currentBranch={model.currentBranch}
          colors={colors}
          labels={templates?.labels}
          siblings={siblings}
          rendermime={rendermime}
          onUnlink={unlink}
          onRefresh={() => void model.refresh()}
          onSwitchBranch={() => void switchBranch()}
          branchBusy={branchBusy}
          onOpenStory={actions.openStory}
          forgeActions={
            <ForgeActions
              key={`${path}#${link.link.issue.number}`}
              model={model}
              actions={actions}
            />
          }
        />
        {versioned !== null ? (
          <IssueVersions key={`${path}#${versioned}`} load={loadVersions} />
        ) : null}
      </>
    );
  } else {
    content = (
      <>
        {link.kind === 'invalid' ? (
          <div data-testid="dsl-invalid-link">
            <ErrorBox
              error={
                new DslApiError(
                  0,
                  link.reason,
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
          onLink={linkTo}
          version={created}
        />
        <NewIssueForm
          path={path}
          templates={templates}
          templatesError={templatesError}
          listAsks={listAsks}
          onCreate={async (request, linkIt) => {
            const reply = await model.createIssue(request, linkIt);
            setCreated(count => count + 1); // the picker lists it
            return reply;
          }}
          focusRequest={focusRequest}
        />
      </>
    );
  }
  return (
    <div className="jp-dsl-issue-section" data-testid="dsl-issue-section">
      {content}
      <SyncBar
        api={model.api}
        path={path}
        onSynced={async () => {
          setCreated(count => count + 1); // the picker lists what came in
          await model.refresh();
        }}
      />
      <ErrorBox error={error} />
    </div>
  );
}
