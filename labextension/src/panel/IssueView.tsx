/**
 * The linked issue: type badge, number, title, state, its Ask, the DSLP branch and whether git
 * is on it, and the issue body. Shows the cached link at once and the tracker's answer when
 * it arrives; a tracker error leaves the cached link visible.
 */
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import React from 'react';

import { DslApiError, Issue, IssueReply, LabelInfo, NotebookLink } from '../api';
import { contrastColor, cssColor } from '../link';
import { hideEmptySections } from '../sections';
import { ErrorBox, TypeBadge, TypeColors } from './common';
import { Markdown } from './Markdown';

export interface IIssueViewProps {
  link: NotebookLink;
  details: IssueReply | null;
  error: DslApiError | null;
  loading: boolean;
  currentBranch: string | null;
  colors: TypeColors;
  rendermime: IRenderMimeRegistry;
  onUnlink: () => void;
  onRefresh: () => void;
  /** The labels of the templates route (colors of the label badges). */
  labels?: LabelInfo[];
  /** The other issues of the same Ask (the breadcrumb's children). */
  siblings?: Issue[] | null;
  /** Switch git to (or create) the notebook's branch. */
  onSwitchBranch?: () => void;
  branchBusy?: boolean;
  /** Actions that need a forge (open on the forge, open a PR) go here. */
  forgeActions?: React.ReactNode;
  /** Open the story of the Ask (a main-area tab): the breadcrumb's Ask becomes a link. */
  onOpenStory?: (ask: number) => void;
}

/** A label badge in the label's color (from the templates route; unknown labels are plain). */
export function LabelBadge(props: { name: string; labels: LabelInfo[] }): JSX.Element {
  const info = props.labels.find(l => l.name === props.name);
  const style = info
    ? { backgroundColor: cssColor(info.color), color: contrastColor(info.color) }
    : undefined;
  return (
    <span
      className="jp-dsl-badge jp-dsl-label-badge"
      style={style}
      title={info?.description}
      data-testid="dsl-issue-label"
    >
      {props.name}
    </span>
  );
}

/** `Ask #1 Why churn? › #2 Explore`, and the Ask's other issues below it. */
function AskBreadcrumb(props: {
  askNumber: number;
  ask: Issue | null;
  current: number;
  siblings: Issue[] | null;
  colors: TypeColors;
  onOpenStory?: (ask: number) => void;
}): JSX.Element {
  const { askNumber, ask, current, siblings, colors, onOpenStory } = props;
  const others = (siblings ?? []).filter(issue => issue.number !== current);
  return (
    <nav aria-label="Ask and its issues" data-testid="dsl-breadcrumb">
      <div className="jp-dsl-row" data-testid="dsl-issue-ask">
        <span className="jp-dsl-label">Ask</span>
        {onOpenStory ? (
          <button
            type="button"
            className="jp-dsl-linkbutton"
            title={`Open the story of Ask #${askNumber}`}
            onClick={() => onOpenStory(askNumber)}
            data-testid="dsl-open-story"
          >
            #{askNumber}
            {ask ? ` ${ask.title}` : ''}
          </button>
        ) : (
          <span>
            #{askNumber}
            {ask ? ` ${ask.title}` : ''}
          </span>
        )}
      </div>
      {others.length > 0 ? (
        <ul className="jp-dsl-children" data-testid="dsl-ask-children">
          {others.map(issue => (
            <li key={issue.number} data-testid="dsl-ask-child">
              <TypeBadge type={issue.type} colors={colors} />
              <span className="jp-dsl-number">#{issue.number}</span> {issue.title}
              {issue.state === 'closed' ? (
                <span className="jp-dsl-state jp-dsl-state-closed">closed</span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </nav>
  );
}

function BranchLine(props: {
  expected: string;
  current: string | null;
  onSwitch?: () => void;
  busy?: boolean;
}): JSX.Element {
  const { expected, current, onSwitch } = props;
  const matches = current !== null && current === expected;
  return (
    <div className="jp-dsl-row" data-testid="dsl-branch">
      <span className="jp-dsl-label">Branch</span>
      <code data-testid="dsl-branch-expected">{expected}</code>
      <span
        className={matches ? 'jp-dsl-branch-ok' : 'jp-dsl-branch-off'}
        data-testid="dsl-branch-match"
        data-matches={matches ? 'true' : 'false'}
      >
        {matches
          ? 'checked out'
          : current === null
            ? 'not a git branch here'
            : `current: ${current}`}
      </span>
      {!matches && current !== null && onSwitch ? (
        <button
          className="jp-mod-styled jp-dsl-small"
          onClick={onSwitch}
          disabled={props.busy}
          aria-label={`Switch git to branch ${expected} (created when missing)`}
          data-testid="dsl-switch-branch"
        >
          Switch
        </button>
      ) : null}
    </div>
  );
}

/** Only http(s) links become anchors: a tracker's URL is data, not code. */
export function isWebUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

/** The body without its empty template sections; a note instead when nothing is left. */
function IssueBody(props: {
  body: string;
  rendermime: IRenderMimeRegistry;
}): JSX.Element {
  const source = hideEmptySections(props.body);
  if (source.trim() === '') {
    return (
      <p className="jp-dsl-muted" data-testid="dsl-issue-body-empty">
        The issue&apos;s sections are not filled in yet.
      </p>
    );
  }
  return <Markdown source={source} rendermime={props.rendermime} />;
}

export function IssueView(props: IIssueViewProps): JSX.Element {
  const { link, details, error, loading, currentBranch, colors } = props;
  const issue = details?.issue ?? null;
  const type = issue ? issue.type : link.issue.type;
  const title = issue ? issue.title : link.issue.title;
  const askNumber = issue ? issue.ask : link.ask;
  const ask = details?.ask ?? null;
  const branch = details?.link.branch || link.branch;
  return (
    <div className="jp-dsl-issue" data-testid="dsl-issue">
      <div className="jp-dsl-issue-head">
        <TypeBadge type={type} colors={colors} testid="dsl-issue-badge" />
        <span className="jp-dsl-number" data-testid="dsl-issue-number">
          #{link.issue.number}
        </span>
        {issue ? (
          <span
            className={`jp-dsl-state jp-dsl-state-${issue.state}`}
            data-testid="dsl-issue-state"
          >
            {issue.state}
          </span>
        ) : null}
        {link.status === 'complete' ? (
          <span className="jp-dsl-state" data-testid="dsl-link-complete">
            complete
          </span>
        ) : null}
      </div>
      <div className="jp-dsl-title" data-testid="dsl-issue-title">
        {issue && isWebUrl(issue.url) ? (
          <a href={issue.url} target="_blank" rel="noopener noreferrer">
            {title}
          </a>
        ) : (
          title
        )}
      </div>
      {issue && issue.labels.length > 0 ? (
        <div className="jp-dsl-labels" data-testid="dsl-issue-labels">
          {issue.labels.map(name => (
            <LabelBadge key={name} name={name} labels={props.labels ?? []} />
          ))}
        </div>
      ) : null}
      {askNumber !== null ? (
        <AskBreadcrumb
          askNumber={askNumber}
          ask={ask}
          current={link.issue.number}
          siblings={props.siblings ?? null}
          colors={colors}
          onOpenStory={props.onOpenStory}
        />
      ) : null}
      {branch ? (
        <BranchLine
          expected={branch}
          current={currentBranch}
          onSwitch={props.onSwitchBranch}
          busy={props.branchBusy}
        />
      ) : null}
      <ErrorBox error={error} context={`Could not refresh #${link.issue.number}`} />
      {loading ? (
        <div className="jp-dsl-muted" data-testid="dsl-loading">
          Loading…
        </div>
      ) : null}
      {issue ? <IssueBody body={issue.body} rendermime={props.rendermime} /> : null}
      <div className="jp-dsl-actions">
        <button
          className="jp-mod-styled"
          onClick={props.onRefresh}
          data-testid="dsl-refresh"
        >
          Refresh
        </button>
        <button
          className="jp-mod-styled jp-mod-warn"
          onClick={props.onUnlink}
          data-testid="dsl-unlink"
        >
          Unlink
        </button>
        {/* Forge actions (open on the forge, open a PR) and the tracker's offline state: added with the forges. */}
        {props.forgeActions ?? null}
      </div>
    </div>
  );
}
