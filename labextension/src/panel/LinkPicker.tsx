/**
 * "Link to issue": the project's issues filtered by type and state, or a number typed in.
 */
import React from 'react';

import { DslApiError, ISSUE_TYPES, Issue, IssueType, StateFilter } from '../api';
import { isIssueType } from '../link';
import { asApiError } from '../fetched';
import { ErrorBox, TypeBadge, TypeColors } from './common';

export interface ILinkPickerProps {
  /** Changes when the active notebook changes, so the list is fetched again. */
  path: string;
  colors: TypeColors;
  listIssues: (query: { type?: IssueType; state?: StateFilter }) => Promise<Issue[]>;
  /** Link to issue `number` (`issue`: when picked from the list). */
  onLink: (number: number, issue?: Issue) => Promise<unknown>;
  /** Changes when an issue was created, so the list is fetched again. */
  version?: number;
}

const STATES: StateFilter[] = ['open', 'closed', 'all'];

/** Whether `issue` matches a search: every word is in its title, or it is `#N` / `N`. */
export function matchesSearch(issue: Issue, search: string): boolean {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) {
    return true;
  }
  if (words.length === 1 && /^#?\d+$/.test(words[0])) {
    return String(issue.number) === words[0].replace('#', '');
  }
  const title = issue.title.toLowerCase();
  return words.every(word => title.includes(word));
}

export function LinkPicker(props: ILinkPickerProps): JSX.Element {
  const { path, colors, listIssues, onLink, version } = props;
  const [type, setType] = React.useState<IssueType | ''>('');
  const [state, setState] = React.useState<StateFilter>('open');
  const [issues, setIssues] = React.useState<Issue[] | null>(null);
  const [listError, setListError] = React.useState<DslApiError | null>(null);
  const [linkError, setLinkError] = React.useState<DslApiError | null>(null);
  const [number, setNumber] = React.useState('');
  const [search, setSearch] = React.useState('');
  const [busy, setBusy] = React.useState(false);

  React.useEffect(() => {
    let current = true;
    setIssues(null);
    setListError(null);
    listIssues({ type: type || undefined, state }).then(
      list => current && setIssues(list),
      error => current && setListError(asApiError(error))
    );
    return () => {
      current = false;
    };
  }, [path, type, state, listIssues, version]);

  const shown = (issues ?? []).filter(issue => matchesSearch(issue, search));

  const link = async (value: number, issue?: Issue): Promise<void> => {
    setBusy(true);
    setLinkError(null);
    try {
      await onLink(value, issue);
    } catch (error) {
      setLinkError(asApiError(error));
    } finally {
      setBusy(false);
    }
  };

  const submitNumber = (event: React.FormEvent): void => {
    event.preventDefault();
    const value = Number(number.trim());
    if (!Number.isInteger(value) || value < 1) {
      setLinkError(
        new DslApiError(
          0,
          `"${number}" is not an issue number`,
          'Type a number such as 12.'
        )
      );
      return;
    }
    void link(value);
  };

  return (
    <section className="jp-dsl-section" data-testid="dsl-link-picker">
      <h3>Link to issue</h3>
      <div className="jp-dsl-filters">
        <label>
          Type{' '}
          <select
            className="jp-mod-styled"
            value={type}
            data-testid="dsl-filter-type"
            onChange={e => setType(isIssueType(e.target.value) ? e.target.value : '')}
          >
            <option value="">All</option>
            {ISSUE_TYPES.map(t => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label>
          State{' '}
          <select
            className="jp-mod-styled"
            value={state}
            data-testid="dsl-filter-state"
            onChange={e => setState(STATES.find(s => s === e.target.value) ?? 'open')}
          >
            {STATES.map(s => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label className="jp-dsl-search">
        Search{' '}
        <input
          className="jp-mod-styled"
          type="search"
          value={search}
          placeholder="words of the title, or #12"
          aria-label="Search the issues by title or number"
          data-testid="dsl-issue-search"
          onChange={e => setSearch(e.target.value)}
        />
      </label>
      <ErrorBox error={listError} context="Could not list issues" />
      {issues === null && listError === null ? (
        <div className="jp-dsl-muted">Loading issues…</div>
      ) : null}
      {issues !== null && issues.length > 0 && shown.length === 0 ? (
        <div className="jp-dsl-muted" data-testid="dsl-no-issues">
          No issues match “{search}”.
        </div>
      ) : null}
      {issues !== null && issues.length === 0 ? (
        <div className="jp-dsl-muted" data-testid="dsl-no-issues">
          No issues match.
        </div>
      ) : null}
      {shown.length > 0 ? (
        <ul className="jp-dsl-issue-list" data-testid="dsl-issue-list">
          {shown.map(issue => (
            <li key={issue.number}>
              <button
                className="jp-dsl-issue-item"
                disabled={busy}
                title={`Link this notebook to #${issue.number}`}
                data-testid={`dsl-pick-issue-${issue.number}`}
                onClick={() => void link(issue.number, issue)}
              >
                <TypeBadge type={issue.type} colors={colors} />
                <span className="jp-dsl-number">#{issue.number}</span>
                <span className="jp-dsl-item-title">{issue.title}</span>
                {issue.state === 'closed' ? (
                  <span className="jp-dsl-state jp-dsl-state-closed">closed</span>
                ) : null}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <form className="jp-dsl-number-form" onSubmit={submitNumber}>
        <label>
          Issue number{' '}
          <input
            className="jp-mod-styled"
            type="text"
            inputMode="numeric"
            value={number}
            placeholder="12"
            data-testid="dsl-link-number"
            onChange={e => setNumber(e.target.value)}
          />
        </label>
        <button
          type="submit"
          className="jp-mod-styled jp-mod-accept"
          disabled={busy || number.trim() === ''}
          data-testid="dsl-link-submit"
        >
          Link
        </button>
      </form>
      <ErrorBox error={linkError} context="Could not link" />
    </section>
  );
}
