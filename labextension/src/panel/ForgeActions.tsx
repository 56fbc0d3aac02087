/**
 * The Issue section's forge actions: open the issue on GitHub/GitLab, open a pull request for the
 * notebook's branch (asked first: it pushes and changes the forge), and the tracker's offline state.
 * Nothing shows for the local tracker except the offline line (never set for it).
 */
import React from 'react';

import { DslApiError } from '../api';
import { DslModel } from '../model';
import { asApiError } from '../fetched';
import { PullReply } from '../wire';
import { ErrorBox } from './common';
import { ISidebarActions } from './context';
import { isWebUrl } from './IssueView';

const FORGE_NAMES: Record<string, string> = { github: 'GitHub', gitlab: 'GitLab' };

/** How the sidebar names a tracker kind ("github" -> "GitHub"); null for the local tracker. */
export function forgeName(kind: string | null): string | null {
  if (kind === null || kind === 'local') {
    return null;
  }
  return FORGE_NAMES[kind] ?? kind;
}

export interface IForgeActionsProps {
  /** What the actions read of the sidebar's model (the whole DslModel in the sidebar). */
  model: Pick<DslModel, 'trackerKind' | 'details' | 'offlineAsOf' | 'openPull'>;
  actions: ISidebarActions;
}

export function ForgeActions(props: IForgeActionsProps): JSX.Element | null {
  const { model, actions } = props;
  const [busy, setBusy] = React.useState(false);
  const [pull, setPull] = React.useState<PullReply | null>(null);
  const [error, setError] = React.useState<DslApiError | null>(null);
  const forge = forgeName(model.trackerKind);
  const issue = model.details?.issue ?? null;
  const offline = model.offlineAsOf;

  const openPull = async (): Promise<void> => {
    const branch = model.details?.link.branch ?? '';
    const ok = await actions.confirm({
      title: 'Open a pull request',
      body: `Push the branch ${branch} to the git remote and open (or reuse) its pull request on ${forge ?? 'the forge'}? The issue's Related PR line will name it.`,
      accept: 'Push and open',
      warn: true
    });
    if (!ok) {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setPull(await model.openPull());
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  if (forge === null && !offline) {
    return null;
  }
  return (
    <div className="jp-dsl-forge" data-testid="dsl-forge-actions">
      {offline ? (
        <div className="jp-dsl-muted" role="status" data-testid="dsl-offline">
          offline, as of {offline}
        </div>
      ) : null}
      {forge !== null && issue !== null && isWebUrl(issue.url) ? (
        <a
          className="jp-mod-styled jp-dsl-small"
          href={issue.url}
          target="_blank"
          rel="noopener noreferrer"
          data-testid="dsl-open-on-forge"
        >
          Open on {forge}
        </a>
      ) : null}
      {forge !== null && issue !== null && !offline ? (
        <button
          className="jp-mod-styled"
          onClick={() => void openPull()}
          disabled={busy}
          data-testid="dsl-open-pull"
        >
          {busy ? 'Opening…' : 'Open a PR'}
        </button>
      ) : null}
      {pull !== null && isWebUrl(pull.pull.url) ? (
        <div data-testid="dsl-pull-link">
          {pull.created ? 'Opened ' : 'Pull request '}
          <a href={pull.pull.url} target="_blank" rel="noopener noreferrer">
            {pull.pull.reference}
          </a>{' '}
          for {pull.branch}
        </div>
      ) : null}
      <ErrorBox error={error} />
    </div>
  );
}
