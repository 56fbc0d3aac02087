/**
 * When the sidebar asks first. An action asks when it changes what others see (an issue on GitHub
 * or GitLab, a push, the git branch and with it the files on disk) or cannot be undone from the
 * sidebar (cancelling a batch interrupts its running runs). A button that says what it creates
 * (Create, Add goal) does not ask, nor does an edit of the open notebook (kept only when you save)
 * or of the local tracker that the opposite action undoes (tick and untick a goal).
 */
import { DslApi, Issue } from '../api';
import { IConfirmOptions } from './context';
import { forgeName } from './ForgeActions';

/** The project's tracker kind, asked from the server when the sidebar does not know it yet. */
export async function trackerKindOf(model: {
  trackerKind: string | null;
  path: string | null;
  api: Pick<DslApi, 'project'>;
}): Promise<string | null> {
  if (model.trackerKind !== null || model.path === null) {
    return model.trackerKind;
  }
  try {
    return (await model.api.project(model.path)).tracker.kind;
  } catch {
    return null; // the action itself then says what is wrong
  }
}

/**
 * Linking lists the issue in its Ask (`- [ ] #N title`): on a forge, others see that. Null when
 * nothing outward changes (the local tracker, or an issue known to have no Ask).
 */
export function linkQuestion(
  kind: string | null,
  number: number,
  issue?: Pick<Issue, 'title' | 'ask'>
): IConfirmOptions | null {
  const forge = forgeName(kind);
  if (forge === null || (issue !== undefined && issue.ask === null)) {
    return null;
  }
  const line = issue ? `“- [ ] #${number} ${issue.title}”` : `“- [ ] #${number} …”`;
  const ask = issue ? `Ask #${issue.ask}` : 'its Ask (when it has one)';
  return {
    title: 'Link the notebook',
    body: `Link this notebook to #${number}? This also adds ${line} to ${ask} on ${forge}, unless it is listed there already.`,
    accept: 'Link',
    warn: true
  };
}

/** Ticking (or unticking) a goal edits the issue's Goals: on a forge, others see that. */
export function tickQuestion(
  kind: string | null,
  goal: { number: number; text: string },
  done: boolean
): IConfirmOptions | null {
  const forge = forgeName(kind);
  if (forge === null) {
    return null;
  }
  return {
    title: `Edit the issue on ${forge}`,
    body: `${done ? 'Tick' : 'Untick'} goal ${goal.number} (“${goal.text}”) in the issue's Goals on ${forge}?`,
    accept: done ? 'Tick it' : 'Untick it',
    warn: true
  };
}
