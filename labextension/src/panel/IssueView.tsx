/**
 * The linked issue: type badge, number, title, state, its Ask, the DSLP branch and whether git
 * is on it, and the issue body. Shows the cached link at once and the tracker's answer when
 * it arrives; a tracker error leaves the cached link visible.
 */
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import React from 'react';

import { DslApiError, IssueReply, NotebookLink } from '../api';
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
}

function BranchLine(props: { expected: string; current: string | null }): JSX.Element {
  const { expected, current } = props;
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
      {askNumber !== null ? (
        <div className="jp-dsl-row" data-testid="dsl-issue-ask">
          <span className="jp-dsl-label">Ask</span>
          <span>
            #{askNumber}
            {ask ? ` ${ask.title}` : ''}
          </span>
        </div>
      ) : null}
      {branch ? <BranchLine expected={branch} current={currentBranch} /> : null}
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
      </div>
    </div>
  );
}
