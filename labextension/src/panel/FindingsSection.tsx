/**
 * The Findings section of a linked notebook: the issue's goals (tick, add), the findings captured
 * so far, a preview of the summary (fetched again on every save; rendered through JupyterLab's
 * sanitizer), and "Mark exploration complete" / "Record experiment outcome": the dry run is shown
 * first, exactly, in a confirmation dialog; then the result and a link to it.
 */
import React from 'react';

import { DslApiError } from '../api';
import { FindingsModel, Outcome } from '../findingsmodel';
import { asApiError } from '../fetched';
import { CompleteReply, GoalItem } from '../wire';
import { ErrorBox, useSignal } from './common';
import { ISidebarActions, ISidebarContext } from './context';
import { isWebUrl } from './IssueView';
import { Markdown } from './Markdown';
import { tickQuestion, trackerKindOf } from './outward';

/**
 * The body of a whole HTML document (the summary's `<title>` and styles are not content). Parsed in
 * an inert document (nothing runs); the result is still rendered through the sanitizer.
 */
export function htmlBody(html: string): string {
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  return parsed.body.innerHTML;
}

function Goals(props: {
  findings: FindingsModel;
  onError: (error: DslApiError | null) => void;
  /** Asks before a goal is ticked or unticked (an outward edit on a forge; see outward.ts). */
  confirmTick: (goal: GoalItem, done: boolean) => Promise<boolean>;
}): JSX.Element | null {
  const { findings, onError, confirmTick } = props;
  const [question, setQuestion] = React.useState('');
  const [busy, setBusy] = React.useState(false);
  const goals = findings.goals.value?.goals ?? null;
  const act = async (work: () => Promise<void>): Promise<void> => {
    setBusy(true);
    onError(null);
    try {
      await work();
    } catch (caught) {
      onError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="jp-dsl-goals" data-testid="dsl-goals">
      <h4>Goals</h4>
      {goals !== null && goals.length === 0 ? (
        <p className="jp-dsl-muted">
          No goals yet: add the questions this work answers.
        </p>
      ) : null}
      {goals !== null && goals.length > 0 ? (
        <ul className="jp-dsl-checklist">
          {goals.map(goal => (
            <li
              key={goal.number}
              data-testid="dsl-goal"
              data-done={goal.done ? 'true' : 'false'}
            >
              <label>
                <input
                  type="checkbox"
                  checked={goal.done}
                  disabled={busy}
                  data-testid="dsl-goal-tick"
                  onChange={e => {
                    const done = e.target.checked;
                    void (async () => {
                      if (await confirmTick(goal, done)) {
                        await act(() => findings.tickGoal(goal.number, done));
                      }
                    })();
                  }}
                />{' '}
                {goal.text}
              </label>
            </li>
          ))}
        </ul>
      ) : null}
      <form
        className="jp-dsl-number-form"
        onSubmit={e => {
          e.preventDefault();
          // an explicit Add: it does not ask (see outward.ts)
          void act(async () => {
            await findings.addGoal(question);
            setQuestion('');
          });
        }}
      >
        <input
          className="jp-mod-styled"
          type="text"
          value={question}
          placeholder="A question this work answers"
          aria-label="New goal"
          data-testid="dsl-goal-input"
          onChange={e => setQuestion(e.target.value)}
        />
        <button
          type="submit"
          className="jp-mod-styled"
          disabled={busy || question.trim() === ''}
          data-testid="dsl-goal-add"
        >
          Add goal
        </button>
      </form>
    </div>
  );
}

/** The dry run as the dialog shows it: each step, what exactly it writes or posts, the notes. */
export function PlanBody(props: { plan: CompleteReply }): JSX.Element {
  const { plan } = props;
  const pending = plan.steps.filter(step => step.state === 'would do');
  const done = plan.steps.filter(step => step.state !== 'would do');
  return (
    <div className="jp-dsl-plan" data-testid="dsl-plan">
      <p>This will, in order:</p>
      <ol>
        {pending.map((step, index) => (
          <li key={index} data-testid="dsl-plan-step">
            {step.description}
            {step.detail ? (
              <details>
                <summary>exactly what</summary>
                <pre className="jp-dsl-plan-detail">{step.detail}</pre>
              </details>
            ) : null}
          </li>
        ))}
      </ol>
      {done.length > 0 ? (
        <p className="jp-dsl-muted">
          Already done: {done.map(s => s.description).join('; ')}
        </p>
      ) : null}
      {plan.notes.map((note, index) => (
        <p key={index} className="jp-dsl-muted">
          Note: {note}
        </p>
      ))}
    </div>
  );
}

/**
 * The dry run, shown exactly in a confirmation dialog; completed only when the user accepts.
 * Null when they declined; an error when there is nothing left to do.
 */
export async function confirmAndComplete(
  findings: FindingsModel,
  confirm: ISidebarActions['confirm'],
  outcome?: Outcome
): Promise<CompleteReply | null> {
  const plan = await findings.plan(outcome);
  if (!plan.steps.some(step => step.state === 'would do')) {
    throw new DslApiError(0, `#${plan.issue.number} is already complete`);
  }
  const ok = await confirm({
    title:
      plan.issue.type === 'Experiment'
        ? `Record the outcome of experiment #${plan.issue.number}: ${outcome ?? ''}`
        : `Mark exploration #${plan.issue.number} complete`,
    body: <PlanBody plan={plan} />,
    accept: 'Do it',
    warn: true
  });
  return ok ? findings.complete(outcome) : null;
}

function Result(props: {
  result: CompleteReply;
  context: ISidebarContext;
}): JSX.Element {
  const { result, context } = props;
  const { issue, summary_path } = result;
  return (
    <div className="jp-dsl-result" role="status" data-testid="dsl-complete-result">
      #{issue.number} is {issue.state}
      {issue.labels.length ? ` (${issue.labels.join(', ')})` : ''}.{' '}
      {summary_path ? (
        <button
          className="jp-dsl-link-button"
          data-testid="dsl-open-summary"
          onClick={() => context.actions.openFile(summary_path)}
        >
          Open the summary {summary_path}
        </button>
      ) : null}{' '}
      {isWebUrl(issue.url) ? (
        <a href={issue.url} target="_blank" rel="noopener noreferrer">
          the issue
        </a>
      ) : null}
      {result.link ? (
        <div className="jp-dsl-muted">
          The notebook is marked complete: save it to keep that.
        </div>
      ) : null}
    </div>
  );
}

function Completion(props: {
  context: ISidebarContext;
  onError: (error: DslApiError | null) => void;
}): JSX.Element | null {
  const { context, onError } = props;
  const { model, findings, actions } = context;
  const [busy, setBusy] = React.useState(false);
  const type = findings.preview.value?.type ?? null;
  if (type !== 'Explore' && type !== 'Experiment') {
    return null;
  }
  const finish = async (outcome?: Outcome): Promise<void> => {
    setBusy(true);
    onError(null);
    try {
      await confirmAndComplete(findings, actions.confirm, outcome);
    } catch (caught) {
      onError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  };
  const complete =
    model.link.kind === 'linked' && model.link.link.status === 'complete';
  return (
    <div className="jp-dsl-actions" data-testid="dsl-completion">
      {complete ? (
        <span className="jp-dsl-muted" data-testid="dsl-completed">
          Completed{' '}
          {model.link.kind === 'linked' ? (model.link.link.completed_at ?? '') : ''}
        </span>
      ) : null}
      {type === 'Explore' ? (
        <button
          className="jp-mod-styled jp-mod-accept"
          disabled={busy}
          data-testid="dsl-complete"
          onClick={() => void finish()}
        >
          Mark exploration complete…
        </button>
      ) : (
        (['succeeded', 'failed'] as Outcome[]).map(outcome => (
          <button
            key={outcome}
            className="jp-mod-styled"
            disabled={busy}
            data-testid={`dsl-outcome-${outcome}`}
            onClick={() => void finish(outcome)}
          >
            Record outcome: {outcome}…
          </button>
        ))
      )}
    </div>
  );
}

export function FindingsSection(props: {
  context: ISidebarContext;
}): JSX.Element | null {
  const { model, findings, rendermime } = props.context;
  useSignal(model.changed);
  useSignal(findings.changed);
  const [error, setError] = React.useState<DslApiError | null>(null);
  if (model.path === null || model.link.kind !== 'linked') {
    return null;
  }
  const preview = findings.preview.value;
  const issueType = model.link.link.issue.type;
  return (
    <section
      className="jp-dsl-section"
      aria-labelledby="jp-dsl-findings-heading"
      data-testid="dsl-findings"
    >
      <h3 id="jp-dsl-findings-heading">Findings</h3>
      {model.dirty ? (
        <p className="jp-dsl-muted" data-testid="dsl-findings-save-first">
          Unsaved changes: the summary shows the saved notebook.
        </p>
      ) : null}
      {issueType === 'Explore' || preview?.type === 'Explore' ? (
        <Goals
          findings={findings}
          onError={setError}
          confirmTick={async (goal, done) => {
            const question = tickQuestion(await trackerKindOf(model), goal, done);
            return question === null || props.context.actions.confirm(question);
          }}
        />
      ) : null}
      <ErrorBox error={findings.preview.error} context="Could not read the findings" />
      {preview ? (
        <>
          <h4>Captured so far</h4>
          {preview.insights.length === 0 ? (
            <p className="jp-dsl-muted" data-testid="dsl-insights-none">
              No findings yet: tag a markdown cell <code>finding</code>, or call{' '}
              <code>jupyter_dsl.finding(&quot;…&quot;)</code>.
            </p>
          ) : (
            <ol className="jp-dsl-insights" data-testid="dsl-insights">
              {preview.insights.map((insight, index) => (
                <li key={index} data-testid="dsl-insight">
                  {insight.title}
                  {insight.answers ? (
                    <span className="jp-dsl-muted"> (answers {insight.answers})</span>
                  ) : null}
                </li>
              ))}
            </ol>
          )}
          <details className="jp-dsl-preview" open>
            <summary>Summary preview ({preview.format})</summary>
            <Markdown
              source={preview.format === 'html' ? htmlBody(preview.text) : preview.text}
              rendermime={rendermime}
              mimeType={preview.format === 'html' ? 'text/html' : 'text/markdown'}
              testid="dsl-summary-preview"
            />
          </details>
        </>
      ) : null}
      {findings.loading ? <div className="jp-dsl-muted">Loading…</div> : null}
      <Completion context={props.context} onError={setError} />
      <ErrorBox error={error} />
      {findings.result ? (
        <Result result={findings.result} context={props.context} />
      ) : null}
    </section>
  );
}
