/**
 * The story of an Ask in a main-area tab: its problem statement, success criteria and state; its
 * work by type in DSLP order (StoryIssueView); its timeline. Every link opens its document in Lab.
 * Re-renders when the model's poll brings a changed story.
 */
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import React from 'react';

import { ErrorBox, useSignal } from '../panel/common';
import { Markdown } from '../panel/Markdown';
import { StoryIssueView } from './StoryIssueView';
import { IStoryActions, StoryLinks } from './StoryLinks';
import { StoryModel } from './storymodel';
import { Story } from './storywire';

function Section(props: {
  title: string;
  source: string;
  rendermime: IRenderMimeRegistry;
  testid: string;
}): JSX.Element | null {
  if (!props.source.trim()) {
    return null;
  }
  return (
    <section className="jp-dsl-story-section">
      <h2>{props.title}</h2>
      <Markdown
        source={props.source}
        rendermime={props.rendermime}
        testid={props.testid}
      />
    </section>
  );
}

function StoryBody(props: {
  story: Story;
  actions: IStoryActions;
  rendermime: IRenderMimeRegistry;
}): JSX.Element {
  const { story, actions, rendermime } = props;
  const kinds = Object.entries(story.issues);
  return (
    <>
      <header className="jp-dsl-story-head">
        <h1 data-testid="dsl-story-title">
          Ask <span className="jp-dsl-number">#{story.number}</span> {story.title}
        </h1>
        <div className="jp-dsl-row">
          <span className={`jp-dsl-state jp-dsl-state-${story.state}`}>
            {story.state}
          </span>
          <span className="jp-dsl-muted">last activity {story.last_activity}</span>
          <StoryLinks links={[story.link]} actions={actions} />
        </div>
      </header>
      <Section
        title="Problem statement"
        source={story.problem}
        rendermime={rendermime}
        testid="dsl-story-problem"
      />
      <Section
        title="Success criteria"
        source={story.success}
        rendermime={rendermime}
        testid="dsl-story-success"
      />
      {kinds.length === 0 ? (
        <p className="jp-dsl-muted" data-testid="dsl-story-no-work">
          No work on this Ask yet.
        </p>
      ) : null}
      {kinds.map(([kind, issues]) => (
        <section
          key={kind}
          className="jp-dsl-story-section"
          data-testid="dsl-story-kind"
          data-kind={kind}
        >
          <h2>{kind}</h2>
          {issues.map(issue => (
            <StoryIssueView
              key={issue.number}
              issue={issue}
              actions={actions}
              rendermime={rendermime}
            />
          ))}
        </section>
      ))}
      {story.timeline.length > 0 ? (
        <section className="jp-dsl-story-section" data-testid="dsl-story-timeline">
          <h2>Timeline</h2>
          <ul>
            {story.timeline.map((event, index) => (
              <li key={index}>
                <span className="jp-dsl-muted">{event.when}</span> {event.text}{' '}
                <StoryLinks links={event.links} actions={actions} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

export function StoryView(props: {
  model: StoryModel;
  actions: IStoryActions;
  rendermime: IRenderMimeRegistry;
}): JSX.Element {
  const { model, actions, rendermime } = props;
  useSignal(model.changed);
  const reply = model.reply;
  return (
    <div className="jp-dsl-story" data-testid="dsl-story" data-ask={model.number}>
      <ErrorBox
        error={model.error}
        context={`Could not tell the story of Ask #${model.number}`}
      />
      {model.loading ? (
        <div className="jp-dsl-muted" data-testid="dsl-loading">
          Loading…
        </div>
      ) : null}
      {reply ? (
        <StoryBody story={reply.story} actions={actions} rendermime={rendermime} />
      ) : null}
    </div>
  );
}
