/**
 * What the sidebar shows for a notebook in no DSLP project (no dsl.toml above it, no git
 * repository): why, and a button that makes the notebook's folder one, as `jupyter dsl init` does,
 * after a confirmation that says exactly what will be written.
 */
import React from 'react';

import { DslApiError, InitReport } from '../api';
import { asApiError } from '../fetched';
import { ErrorBox, useSignal } from './common';
import { ISidebarContext } from './context';

/** The folder of a notebook's API path ('' for the server root). */
export function folderOf(path: string): string {
  return path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
}

function shown(folder: string): string {
  return folder === '' ? 'the server root folder' : folder;
}

/** One line on what making the project did. */
export function initSummary(report: InitReport): string {
  const parts: string[] = [];
  if (report.git_initialized) {
    parts.push('made a git repository');
  }
  if (report.created.length > 0) {
    parts.push(`wrote ${report.created.join(', ')}`);
  }
  if (report.ignored.length > 0) {
    parts.push(`git-ignored ${report.ignored.join(' ')}`);
  }
  if (report.kept.length > 0) {
    parts.push(`kept your ${report.kept.join(', ')}`);
  }
  if (report.committed) {
    parts.push(`committed these files (${report.committed.slice(0, 7)})`);
  } else if (report.commit_skipped) {
    parts.push(`did not commit: ${report.commit_skipped}`);
  }
  return parts.length > 0
    ? `Done: ${parts.join('; ')}.`
    : 'It was a DSLP project already.';
}

export function NoProject(props: {
  context: ISidebarContext;
  problem: DslApiError;
}): JSX.Element {
  const { context, problem } = props;
  const { model, actions } = context;
  useSignal(model.changed);
  const [templates, setTemplates] = React.useState(false);
  const [busy, setBusy] = React.useState(false);
  const [error, setError] = React.useState<DslApiError | null>(null);
  const folder = folderOf(model.path ?? '');
  const make = async (): Promise<void> => {
    const ok = await actions.confirm({
      title: `Make ${shown(folder)} a DSLP project?`,
      body: (
        <ul className="jp-dsl-plan" data-testid="dsl-init-plan">
          <li>
            Writes <code>dsl.toml</code> (the local issue tracker; settings) and adds{' '}
            <code>.dsl/</code>, <code>data/</code> and <code>models/</code> to{' '}
            <code>.gitignore</code>.
          </li>
          {templates ? (
            <li>
              Writes the DSLP issue templates to <code>.github/ISSUE_TEMPLATE/</code>.
            </li>
          ) : null}
          <li>Keeps every file that is there already.</li>
          <li>
            In no git repository yet: runs <code>git init</code> and commits only these
            files.
          </li>
        </ul>
      ),
      accept: 'Make project'
    });
    if (!ok) {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const reply = await model.makeProject(folder, templates);
      actions.notify(initSummary(reply.report));
    } catch (reason) {
      setError(asApiError(reason));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="jp-dsl-section jp-dsl-no-project" data-testid="dsl-no-project">
      <h3>No DSLP project</h3>
      <p className="jp-dsl-muted" data-testid="dsl-no-project-why">
        {problem.message}.
      </p>
      <p className="jp-dsl-muted">
        Issues, runs, batches and findings belong to a project: a folder with a{' '}
        <code>dsl.toml</code> (or a git repository).
      </p>
      <label className="jp-dsl-check">
        <input
          type="checkbox"
          checked={templates}
          onChange={e => setTemplates(e.target.checked)}
          data-testid="dsl-init-templates"
        />{' '}
        Also write the DSLP issue templates (for a forge)
      </label>
      <button
        className="jp-mod-styled jp-mod-accept"
        disabled={busy}
        onClick={() => void make()}
        data-testid="dsl-init"
      >
        {busy ? 'Making the project…' : `Make ${shown(folder)} a DSLP project…`}
      </button>
      <ErrorBox error={error} context="Could not make the project" />
    </div>
  );
}
