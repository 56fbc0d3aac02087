/**
 * The story tab's model on jest's fake clock: it fetches the story when started and again every
 * interval, re-renders (emits `changed`) only when the story changed, keeps the last story while the
 * server fails (showing the error, backing off) and stops polling when its tab is closed. And how a
 * story's links open: a run's output notebook, a file, a web page, or nothing.
 */
import { DslApiError } from '../api';
import { ParsedLink } from '../link';
import { MAX_BACKOFF_MS } from '../polls';
import { askNumber, askOfLink } from '../story/storypanel';
import { linkTarget, StoryModel } from '../story/storymodel';
import { StoryLink, StoryReply } from '../story/storywire';

const elapse = (ms: number): Promise<void> => jest.advanceTimersByTimeAsync(ms);
const INTERVAL = 1000;

function link(fields: Partial<StoryLink>): StoryLink {
  return {
    text: 'x',
    kind: 'notebook',
    path: null,
    url: null,
    title: '',
    run: null,
    ...fields
  };
}

function reply(runs: number): StoryReply {
  return {
    story: {
      number: 1,
      title: 'Why churn?',
      state: 'open',
      link: link({ kind: 'issue', text: '#1' }),
      problem: 'p',
      success: 's',
      issues: {
        Experiment: [
          {
            number: 3,
            type: 'Experiment',
            title: 'Boosting',
            state: 'open',
            labels: [],
            link: link({ kind: 'issue', text: '#3' }),
            opened: '2026-01-01',
            closed: null,
            notebooks: [],
            findings: null,
            goals: [],
            experiment: null,
            versions: null,
            runs
          }
        ]
      },
      timeline: [],
      last_activity: '2026-01-01',
      data_feature: false,
      updated: '2026-01-01'
    },
    path: 'proj',
    offline_as_of: null
  };
}

/** A story source that answers what is queued (the last answer again when one is left). */
class FakeSource {
  calls: { number: number; path?: string; at: number }[] = [];
  answers: (StoryReply | Error)[] = [];

  getStory(number: number, path?: string): Promise<StoryReply> {
    this.calls.push({ number, path, at: Date.now() });
    const answer = this.answers.length > 1 ? this.answers.shift() : this.answers[0];
    if (answer === undefined) {
      return Promise.reject(new DslApiError(500, 'nothing queued'));
    }
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  }
}

let source: FakeSource;
let model: StoryModel;
let changes: number;

beforeEach(() => {
  jest.useFakeTimers();
  source = new FakeSource();
  model = new StoryModel(source, 1, 'proj/nb.ipynb', INTERVAL);
  changes = 0;
  model.changed.connect(() => {
    changes += 1;
  });
});

afterEach(() => {
  model.dispose();
  jest.useRealTimers();
});

const runsShown = (): number | undefined =>
  model.reply?.story.issues.Experiment?.[0].runs;

test('the story is fetched when the tab opens, for its Ask and project', async () => {
  source.answers = [reply(2)];
  expect(model.loading).toBe(true);
  await model.start();
  expect(source.calls).toEqual([
    { number: 1, path: 'proj/nb.ipynb', at: expect.any(Number) }
  ]);
  expect(model.loading).toBe(false);
  expect(runsShown()).toBe(2);
  expect(changes).toBe(1);
});

test('the tab stays current: a recorded run shows at the next poll, an unchanged story re-renders nothing', async () => {
  source.answers = [reply(2), reply(2), reply(3)];
  await model.start();
  await elapse(INTERVAL);
  expect(source.calls).toHaveLength(2);
  expect(changes).toBe(1); // the same story: no re-render
  await elapse(INTERVAL);
  expect(source.calls).toHaveLength(3);
  expect(runsShown()).toBe(3);
  expect(changes).toBe(2);
});

test('while the server fails the last story stays, the error shows and the poll backs off', async () => {
  source.answers = [reply(2), new DslApiError(503, 'restarting')];
  await model.start();
  await elapse(INTERVAL);
  expect(model.error?.message).toBe('restarting');
  expect(runsShown()).toBe(2);
  await elapse(MAX_BACKOFF_MS * 3);
  const times = source.calls.map(call => call.at);
  const gaps = times.slice(2).map((time, i) => time - times[i + 1]);
  expect(gaps.length).toBeGreaterThanOrEqual(2);
  expect(gaps[gaps.length - 1]).toBeGreaterThan(INTERVAL);
  source.answers = [reply(4)];
  await elapse(MAX_BACKOFF_MS);
  expect(model.error).toBeNull();
  expect(runsShown()).toBe(4);
});

test('closing the tab stops the poll', async () => {
  source.answers = [reply(2)];
  await model.start();
  model.dispose();
  const before = source.calls.length;
  await elapse(INTERVAL * 10);
  expect(source.calls).toHaveLength(before);
});

test('a run opens its output notebook, a file its document, only http(s) a web page', () => {
  const output = link({
    kind: 'output-notebook',
    run: 'r1',
    path: 'proj/.dsl/out.ipynb'
  });
  expect(linkTarget(output)).toEqual({ kind: 'run', id: 'r1' });
  expect(
    linkTarget(link({ kind: 'findings', path: 'proj/docs/findings/2-a.md' }))
  ).toEqual({
    kind: 'file',
    path: 'proj/docs/findings/2-a.md'
  });
  expect(linkTarget(link({ kind: 'commit', url: 'https://forge.invalid/c' }))).toEqual({
    kind: 'web',
    url: 'https://forge.invalid/c'
  });
  expect(linkTarget(link({ kind: 'issue', url: 'javascript:alert(1)' }))).toEqual({
    kind: 'none'
  });
  expect(linkTarget(link({ kind: 'commit', title: 'c0ffee' }))).toEqual({
    kind: 'none'
  });
});

test('the command takes an Ask number, and knows the Ask of the linked notebook', () => {
  expect([
    askNumber(3),
    askNumber('#4'),
    askNumber('x'),
    askNumber(0),
    askNumber(1.5)
  ]).toEqual([3, 4, null, null, null]);
  const linked = (type: 'Explore' | 'Ask', ask: number | null): ParsedLink => ({
    kind: 'linked',
    link: {
      issue: { tracker: 'local', number: 2, type, title: 't', url: '' },
      ask,
      branch: 'explore/2-t',
      status: 'active',
      completed_at: null
    }
  });
  expect(askOfLink({ kind: 'none' })).toBeNull();
  expect(askOfLink(linked('Explore', 1))).toBe(1);
  expect(askOfLink(linked('Ask', null))).toBe(2);
});
