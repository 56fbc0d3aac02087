/**
 * One issue of an Ask's story: its notebooks; an Explore's findings (TL;DR, insights, goals, the
 * findings file); an Experiment's outcome and best runs, each run's output notebook one click away;
 * a Data or Model issue's versions. Issue text is untrusted: titles are React text, Markdown goes
 * through JupyterLab's sanitizer (panel/Markdown.tsx).
 */
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import React from 'react';

import { Markdown } from '../panel/Markdown';
import { IStoryActions, StoryLinks, StoryLinkView } from './StoryLinks';
import { StoryExperiment, StoryFindings, StoryIssue } from './storywire';

function Goals(props: {
  goals: { text: string; done: boolean }[];
}): JSX.Element | null {
  if (props.goals.length === 0) {
    return null;
  }
  return (
    <ul className="jp-dsl-story-goals" data-testid="dsl-story-goals">
      {props.goals.map((goal, index) => (
        <li key={index}>
          {goal.done ? '☑' : '☐'} {goal.text}
        </li>
      ))}
    </ul>
  );
}

function FindingsView(props: {
  findings: StoryFindings;
  actions: IStoryActions;
  rendermime: IRenderMimeRegistry;
}): JSX.Element {
  const { findings, actions, rendermime } = props;
  return (
    <div className="jp-dsl-story-findings" data-testid="dsl-story-findings">
      <div className="jp-dsl-row">
        <span className="jp-dsl-label">Findings</span>
        <StoryLinks links={findings.sources} actions={actions} />
      </div>
      {findings.tldr ? (
        <p data-testid="dsl-story-tldr">
          <strong>TL;DR:</strong> {findings.tldr}
        </p>
      ) : null}
      {findings.insights.map(insight => (
        <div
          key={insight.number}
          className="jp-dsl-story-insight"
          data-testid="dsl-story-insight"
        >
          <h4>
            Insight {insight.number}: {insight.title}
          </h4>
          {insight.description ? (
            <Markdown
              source={insight.description}
              rendermime={rendermime}
              testid="dsl-story-insight-text"
            />
          ) : null}
          {insight.figures.map(figure => (
            <div key={figure.name} className="jp-dsl-muted">
              Figure: {figure.alt}{' '}
              <StoryLinks links={figure.sources.slice(0, 1)} actions={actions} />
            </div>
          ))}
        </div>
      ))}
      <Goals goals={findings.goals} />
    </div>
  );
}

function ExperimentView(props: {
  experiment: StoryExperiment;
  actions: IStoryActions;
}): JSX.Element {
  const { experiment, actions } = props;
  const metric = experiment.metric;
  return (
    <div className="jp-dsl-story-experiment" data-testid="dsl-story-experiment">
      <div className="jp-dsl-row">
        <span className="jp-dsl-label">Outcome</span>
        <span data-testid="dsl-story-outcome">
          {experiment.outcome ?? 'not decided yet'}
        </span>
      </div>
      {experiment.tldr ? <p>{experiment.tldr}</p> : null}
      <div className="jp-dsl-muted" data-testid="dsl-story-run-count">
        {experiment.total} runs ({experiment.failed} failed)
        {metric ? `; best by ${metric}` : ''}
      </div>
      {experiment.best.length > 0 ? (
        <table className="jp-dsl-story-runs" data-testid="dsl-story-runs">
          <thead>
            <tr>
              <th>run</th>
              <th>status</th>
              {experiment.varying.map(name => (
                <th key={`p-${name}`}>{name}</th>
              ))}
              {metric ? <th>{metric}</th> : null}
              <th>sources</th>
            </tr>
          </thead>
          <tbody>
            {experiment.best.map(run => {
              const [output, ...others] = run.links;
              return (
                <tr key={run.id} data-testid="dsl-story-run" data-run={run.id}>
                  <td>
                    {output ? (
                      <StoryLinkView link={output} actions={actions} label={run.id} />
                    ) : (
                      run.id
                    )}
                  </td>
                  <td>{run.status}</td>
                  {experiment.varying.map(name => (
                    <td key={`p-${name}`}>{run.parameters[name] ?? ''}</td>
                  ))}
                  {metric ? <td>{run.metrics[metric] ?? ''}</td> : null}
                  <td>
                    <StoryLinks links={others} actions={actions} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

export function StoryIssueView(props: {
  issue: StoryIssue;
  actions: IStoryActions;
  rendermime: IRenderMimeRegistry;
}): JSX.Element {
  const { issue, actions, rendermime } = props;
  return (
    <article
      className="jp-dsl-story-issue"
      data-testid="dsl-story-issue"
      data-issue={issue.number}
    >
      <h3>
        <span className="jp-dsl-number">#{issue.number}</span> {issue.title}{' '}
        <span className={`jp-dsl-state jp-dsl-state-${issue.state}`}>
          {issue.state}
        </span>
      </h3>
      <div className="jp-dsl-row">
        <StoryLinks links={[issue.link, ...issue.notebooks]} actions={actions} />
        {issue.runs > 0 ? (
          <span className="jp-dsl-muted" data-testid="dsl-story-issue-runs">
            {issue.runs} runs
          </span>
        ) : null}
      </div>
      {issue.findings ? (
        <FindingsView
          findings={issue.findings}
          actions={actions}
          rendermime={rendermime}
        />
      ) : issue.type === 'Explore' ? (
        <>
          <p className="jp-dsl-muted">No committed findings yet.</p>
          <Goals goals={issue.goals} />
        </>
      ) : null}
      {issue.experiment ? (
        <ExperimentView experiment={issue.experiment} actions={actions} />
      ) : null}
      {issue.versions && issue.versions.length > 0 ? (
        <ul data-testid="dsl-story-versions">
          {issue.versions.map(version => (
            <li key={`${version.name}-${version.version}`}>
              {version.name} {version.version}{' '}
              <StoryLinks links={version.links} actions={actions} />
            </li>
          ))}
        </ul>
      ) : null}
    </article>
  );
}
