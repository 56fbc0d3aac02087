/**
 * A story's links as Lab opens them: a button for a file or a run's output notebook (the tab's
 * `open` action), a new browser tab for a web page, plain text for what opens nowhere (a commit
 * without a forge page). Link text is issue and run data: React escapes it.
 */
import React from 'react';

import { linkTarget, LinkTarget } from './storymodel';
import { StoryLink } from './storywire';

/** What the story tab asks of the application. */
export interface IStoryActions {
  open(target: LinkTarget): void;
}

const LABELS: Record<string, string> = {
  'output-notebook': 'output notebook',
  findings: 'findings',
  notebook: 'notebook',
  commit: 'commit',
  issue: 'issue',
  run: 'run',
  batch: 'batch'
};

export function StoryLinkView(props: {
  link: StoryLink;
  actions: IStoryActions;
  /** What the link shows (default: its kind, then its text). */
  label?: string;
}): JSX.Element {
  const { link, actions } = props;
  const target = linkTarget(link);
  const label = props.label ?? `${LABELS[link.kind] ?? link.kind} ${link.text}`;
  const title = link.title || link.text;
  if (target.kind === 'web') {
    return (
      <a
        className="jp-dsl-story-link"
        href={target.url}
        target="_blank"
        rel="noopener noreferrer"
        title={title}
        data-testid="dsl-story-link"
        data-kind={link.kind}
      >
        {label}
      </a>
    );
  }
  if (target.kind === 'none') {
    return (
      <span className="jp-dsl-story-nolink" title={title} data-kind={link.kind}>
        {label}
      </span>
    );
  }
  return (
    <button
      type="button"
      className="jp-dsl-story-link"
      title={target.kind === 'run' ? `${title} (read-only)` : title}
      onClick={() => actions.open(target)}
      data-testid="dsl-story-link"
      data-kind={link.kind}
      data-target={target.kind === 'run' ? target.id : target.path}
    >
      {label}
    </button>
  );
}

export function StoryLinks(props: {
  links: StoryLink[];
  actions: IStoryActions;
}): JSX.Element | null {
  if (props.links.length === 0) {
    return null;
  }
  return (
    <span className="jp-dsl-story-links">
      {props.links.map((link, index) => (
        <StoryLinkView
          key={`${link.kind}-${index}`}
          link={link}
          actions={props.actions}
        />
      ))}
    </span>
  );
}
