/**
 * The sidebar's actions as a user meets them, rendered by React into a real (jsdom) DOM with fake
 * timers (the debounces are advanced, never waited for): **edit** beside a config file opens it and
 * starts no run; grid files are offered to the Batch section, not as config files, and load into
 * the grid editor (with what its fields cannot hold); Workers takes only 1 to 64; Cancel batch asks
 * first; every error of a batch's runs shows in full; an issue can be created without linking the
 * notebook; outward actions ask first (a link or a goal tick on a forge); after a branch switch,
 * the open notebooks it changed are reverted, or named when they have unsaved changes.
 */
import { ReactWidget } from '@jupyterlab/ui-components';
import { MessageLoop } from '@lumino/messaging';
import { Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import React, { act } from 'react';

import {
  BatchState,
  DslApiError,
  GridPreview,
  NotebookParameter,
  ParamsReply,
  TemplatesReply
} from '../api';
import { BatchModel } from '../batchmodel';
import {
  followSwitch,
  followUpNotes,
  IOpenDocument,
  ISwitched,
  tellFollowUp
} from '../branchfollow';
import { DslModel } from '../model';
import { ErrorList } from '../panel/BatchProgress';
import {
  BatchSection,
  PREVIEW_DEBOUNCE_MS,
  workersProblem
} from '../panel/BatchSection';
import { IConfirmOptions, ISidebarContext } from '../panel/context';
import { linksByDefault, NewIssueForm } from '../panel/NewIssueForm';
import { linkQuestion, tickQuestion, trackerKindOf } from '../panel/outward';
import { ParametersSection } from '../panel/ParametersSection';
import { ParamsFormModel } from '../paramsform';
import { FakeApi, FakeHost } from './fakes';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLElement;
let widget: Widget | null = null;

beforeEach(() => {
  jest.useFakeTimers();
});

afterEach(() => {
  act(() => widget?.dispose());
  widget = null;
  jest.useRealTimers();
});

/** Render (as the sidebar does: a ReactWidget), then let what its first effects started settle. */
async function render(element: JSX.Element): Promise<void> {
  await act(async () => {
    widget = ReactWidget.create(element);
    Widget.attach(widget, document.body);
    MessageLoop.flush(); // the widget's update request: React renders it now, not on a frame
  });
  container = (widget as Widget).node;
  await flush();
}

/** Let queued promise callbacks (and the renders they cause) run. */
async function flush(): Promise<void> {
  await act(async () => {
    for (let i = 0; i < 10; i++) {
      await Promise.resolve();
    }
  });
}

/** Advance the fake clock by `ms`, then settle what that started. */
async function elapse(ms: number): Promise<void> {
  await act(async () => {
    jest.advanceTimersByTime(ms);
  });
  await flush();
}

const byTestId = (id: string): HTMLElement[] => [
  ...container.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)
];
const one = (id: string): HTMLElement => {
  const found = byTestId(id);
  expect(found.map(n => n.dataset.testid)).toEqual([id]);
  return found[0];
};

async function click(node: HTMLElement): Promise<void> {
  await act(async () => {
    node.click();
  });
  await flush();
}

/** Type into a React-controlled field the way a user does (value setter, then an input event). */
async function type(input: HTMLInputElement, text: string): Promise<void> {
  await act(async () => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(
      input,
      text
    );
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await flush();
}

function parameter(name: string, type: string, fallback: string): NotebookParameter {
  return { name, type, default: fallback, help: '', annotation: '', optional: false };
}

const PARAMS: ParamsReply = {
  path: 'tune.ipynb',
  cell: 1,
  parameters: [
    parameter('alpha', 'float', '0.5'),
    parameter('region', 'str', "'north'")
  ],
  notes: []
};

const FILES = { configs: ['configs/fast.yaml'], grids: ['configs/sweep.yaml'] };

describe('the Parameters section', () => {
  it('opens a config file from **edit** and starts no run; grid files are not offered', async () => {
    const api = new FakeApi();
    api.queue('listConfigs', FILES);
    api.queue('listJobs', []);
    const host = new FakeHost(api);
    host.params = { value: PARAMS, error: null };
    const form = new ParamsFormModel(host);
    const opened: string[] = [];
    const context = {
      model: host as unknown as DslModel,
      form,
      actions: {
        makeParametersCell: () => undefined,
        openFile: (path: string) => opened.push(path)
      }
    } as unknown as ISidebarContext;
    await render(<ParametersSection context={context} />);

    expect(
      byTestId('dsl-config').map(n => n.querySelector('code')?.textContent)
    ).toEqual(['configs/fast.yaml']);
    await click(one('dsl-config-edit'));
    await elapse(5000);

    expect(opened).toEqual(['configs/fast.yaml']);
    expect(api.called('startRun')).toEqual([]);
    expect(byTestId('dsl-job')).toEqual([]);
    expect(form.gridFiles.value).toEqual(['configs/sweep.yaml']);
    form.dispose();
  });
});

const GRID_FILE = {
  path: 'configs/sweep.yaml',
  grid: { alpha: '0.1, 1', region: "west, 'a, b'" },
  parameters: { seed: 1 },
  matrix: [{ seed: 2 }, { seed: 3 }]
};

const PREVIEW: GridPreview = {
  count: 8,
  sets: [],
  varying: ['alpha', 'region', 'seed'],
  errors: [],
  hint: null
};

function runningBatch(): BatchState {
  return {
    id: '20260101-120000-abcdef',
    notebook: 'tune.ipynb',
    kernel: 'python3',
    status: 'running',
    total: 3,
    created_at: '2026-01-01T12:00:00',
    finished_at: null,
    cancel_requested: false,
    counts: { running: 1, queued: 2 },
    options: {},
    runs: ['running', 'queued', 'queued'].map((state, position) => ({
      position,
      identity: `i${position}`,
      parameters: { alpha: position },
      state: state as 'running' | 'queued',
      run_id: state === 'running' ? `20260101-120000-r${position}` : null,
      started_at: null,
      duration_s: null,
      error: null,
      metrics: {}
    }))
  };
}

/** The Batch section over a fake model: what it shows, and what it asked the API. */
async function renderBatch(
  api: FakeApi,
  confirm: (options: IConfirmOptions) => Promise<boolean> = async () => true
): Promise<{ batches: BatchModel; opened: string[]; asked: IConfirmOptions[] }> {
  const dsl = {
    api,
    path: 'tune.ipynb',
    changed: new Signal<object, void>({}),
    runs: { value: { runs: [], varying_parameters: [], metrics: [], total: 0 } },
    refreshRuns: async () => undefined
  };
  const batches = new BatchModel(dsl as unknown as DslModel);
  const opened: string[] = [];
  const asked: IConfirmOptions[] = [];
  await render(
    <BatchSection
      batches={batches}
      path="tune.ipynb"
      params={{ value: PARAMS, error: null }}
      onOpenRun={() => undefined}
      gridFiles={{ value: FILES.grids, error: null }}
      onEditFile={path => opened.push(path)}
      confirm={options => {
        asked.push(options);
        return confirm(options);
      }}
      defaultWorkers={3}
    />
  );
  return { batches, opened, asked };
}

describe('the Batch section', () => {
  it('offers the grid files and loads one into the editor, its matrix and fixed values kept', async () => {
    const api = new FakeApi();
    api.queue('listBatches', []);
    api.queue('loadGridFile', GRID_FILE);
    api.queue('previewBatch', PREVIEW);
    api.queue('startBatch', runningBatch());
    const { batches, opened } = await renderBatch(api);

    expect(byTestId('dsl-grid-file').map(n => n.dataset.path)).toEqual([
      'configs/sweep.yaml'
    ]);
    await click(one('dsl-grid-file-edit'));
    expect(opened).toEqual(['configs/sweep.yaml']);
    await click(one('dsl-grid-file-load'));
    expect(api.called('loadGridFile').map(c => c.args)).toEqual([
      ['configs/sweep.yaml']
    ]);

    const fields = byTestId('dsl-grid-values') as HTMLInputElement[];
    expect(fields.map(f => [f.dataset.name, f.value])).toEqual([
      ['alpha', '0.1, 1'],
      ['region', "west, 'a, b'"]
    ]);
    expect(one('dsl-grid-loaded').textContent).toBe(
      'From configs/sweep.yaml; fixed: seed = 1; with each of its 2 matrix sets. Clear'
    );
    await elapse(PREVIEW_DEBOUNCE_MS);
    expect(api.called('previewBatch').map(c => c.args[0])).toEqual([
      {
        path: 'tune.ipynb',
        grid: GRID_FILE.grid,
        parameters: { seed: 1 },
        matrix: [{ seed: 2 }, { seed: 3 }]
      }
    ]);
    expect(one('dsl-batch-count').textContent).toBe('8 parameter sets');
    expect((one('dsl-batch-workers') as HTMLInputElement).value).toBe('3');

    await click(one('dsl-batch-start'));
    expect(api.called('startBatch').map(c => c.args[0])).toEqual([
      {
        path: 'tune.ipynb',
        grid: GRID_FILE.grid,
        parameters: { seed: 1 },
        matrix: [{ seed: 2 }, { seed: 3 }],
        workers: 3
      }
    ]);

    await click(one('dsl-grid-clear'));
    expect(
      (byTestId('dsl-grid-values') as HTMLInputElement[]).map(f => f.value)
    ).toEqual(['', '']);
    expect(byTestId('dsl-grid-loaded')).toEqual([]);
    batches.dispose();
  });

  it('shows why a grid file cannot be loaded and keeps what was typed', async () => {
    const api = new FakeApi();
    api.queue('listBatches', []);
    api.queue(
      'loadGridFile',
      new DslApiError(
        400,
        'sweep.yaml: grid.alpha: must be a list of values, not float'
      )
    );
    const { batches } = await renderBatch(api);
    const alpha = byTestId('dsl-grid-values')[0] as HTMLInputElement;
    await type(alpha, '0.2');
    await click(one('dsl-grid-file-load'));
    expect(one('dsl-error-message').textContent).toBe(
      'Could not load the grid file: sweep.yaml: grid.alpha: must be a list of values, not float (400)'
    );
    expect(alpha.value).toBe('0.2');
    batches.dispose();
  });

  it('refuses -3 workers (and 0, 65, 1.5, nothing) beside the field; Run batch stays off', async () => {
    const api = new FakeApi();
    api.queue('listBatches', []);
    api.queue('previewBatch', PREVIEW);
    const { batches } = await renderBatch(api);
    await type(byTestId('dsl-grid-values')[0] as HTMLInputElement, '0.1, 1');
    await elapse(PREVIEW_DEBOUNCE_MS);
    const start = one('dsl-batch-start') as HTMLButtonElement;
    expect(start.disabled).toBe(false);

    const workers = one('dsl-batch-workers') as HTMLInputElement;
    await type(workers, '-3');
    expect(one('dsl-batch-workers-error').textContent).toBe(
      'Workers must be a whole number from 1 to 64, not "-3"'
    );
    expect(workers.getAttribute('aria-invalid')).toBe('true');
    expect(start.disabled).toBe(true);
    await click(start);
    expect(api.called('startBatch')).toEqual([]);

    await type(workers, '4');
    expect(byTestId('dsl-batch-workers-error')).toEqual([]);
    expect(start.disabled).toBe(false);
    for (const bad of ['0', '65', '1.5', '', ' ', 'e']) {
      expect(workersProblem(bad)).not.toBeNull();
    }
    expect(['1', '64', ' 2 '].map(workersProblem)).toEqual([null, null, null]);
    batches.dispose();
  });

  it('asks before Cancel batch, and cancels only when the user agrees', async () => {
    const api = new FakeApi();
    const batch = runningBatch();
    api.queue('listBatches', [{ ...batch, notebook: 'tune.ipynb' }]);
    api.queue('getBatch', batch);
    let answer = false;
    const { batches, asked } = await renderBatch(api, async () => answer);
    expect(one('dsl-batch-status').textContent).toBe('running');

    await click(one('dsl-batch-cancel'));
    expect(asked.map(q => [q.title, q.warn])).toEqual([['Cancel the batch', true]]);
    expect(asked[0].body).toBe(
      'Interrupt the 1 running run (recorded as interrupted; their work is lost) and leave the 2 queued sets unstarted?'
    );
    expect(api.called('cancelBatch')).toEqual([]);

    answer = true;
    api.queue('cancelBatch', { ...batch, cancel_requested: true });
    await click(one('dsl-batch-cancel'));
    expect(api.called('cancelBatch').map(c => c.args[0])).toEqual([batch.id]);
    batches.dispose();
  });
});

describe("a batch's errors", () => {
  it('are listed in full, as text, below the table', async () => {
    const long =
      'ZeroDivisionError: division by zero while scoring region <b>west</b> with alpha 0 and ' +
      'a message long enough that a table cell would cut it to its first words';
    const runs = runningBatch().runs.map((run, position) => ({
      ...run,
      state: position === 0 ? ('failed' as const) : ('interrupted' as const),
      error:
        position === 0
          ? long
          : 'RunStopped: the batch was cancelled before this run ended'
    }));
    await render(<ErrorList runs={runs} />);
    expect(byTestId('dsl-batch-error').map(n => n.textContent)).toEqual([
      `#1 failed: ${long}`,
      '#2 interrupted: RunStopped: the batch was cancelled before this run ended',
      '#3 interrupted: RunStopped: the batch was cancelled before this run ended'
    ]);
    expect(container.querySelector('[data-testid="dsl-batch-errors"] b')).toBeNull();
  });
});

const TEMPLATES: TemplatesReply = {
  types: (['Ask', 'Explore'] as const).map(type => ({
    type,
    color: '5319e7',
    description: type,
    links_ask: type !== 'Ask',
    templates: [{ key: type, name: type, title_pattern: '', sections: [] }]
  })),
  labels: []
};

describe('the new-issue form', () => {
  it('creates an Ask without linking the notebook, then an Explore linked to it', async () => {
    const created: [string, string, boolean][] = [];
    let number = 6;
    await render(
      <NewIssueForm
        path="tune.ipynb"
        templates={TEMPLATES}
        templatesError={null}
        listAsks={async () => []}
        focusRequest={0}
        onCreate={async (request, link) => {
          created.push([request.type, request.title, link]);
          number += 1;
          return {
            issue: {
              number,
              title: request.title,
              type: request.type
            } as unknown as import('../api').Issue,
            link: {} as import('../api').NotebookLink
          };
        }}
      />
    );
    const typeSelect = one('dsl-new-type') as HTMLSelectElement;
    const linkBox = one('dsl-new-link') as HTMLInputElement;
    expect([typeSelect.value, linkBox.checked]).toEqual(['Explore', true]);
    expect(one('dsl-new-submit').textContent).toBe('Create and link');

    await act(async () => {
      typeSelect.value = 'Ask';
      typeSelect.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(linkBox.checked).toBe(false);
    expect(one('dsl-new-submit').textContent).toBe('Create');
    await type(one('dsl-new-title') as HTMLInputElement, 'Reduce churn');
    await click(one('dsl-new-submit'));
    expect(created).toEqual([['Ask', 'Reduce churn', false]]);
    expect(one('dsl-new-created').textContent).toBe(
      'Created Ask #7 “Reduce churn”; this notebook is not linked to it.'
    );

    await act(async () => {
      typeSelect.value = 'Explore';
      typeSelect.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(linkBox.checked).toBe(true);
    await type(one('dsl-new-title') as HTMLInputElement, 'Churn by region');
    await click(one('dsl-new-submit'));
    expect(created[1]).toEqual(['Explore', 'Churn by region', true]);
    expect(byTestId('dsl-new-created')).toEqual([]);
    expect(
      ['Ask', 'Data', 'Explore', 'Experiment', 'Model'].map(t =>
        linksByDefault(t as 'Ask')
      )
    ).toEqual([false, true, true, true, true]);
  });
});

describe('outward actions ask first', () => {
  const ISSUE = { title: 'Churn by region', ask: 1 };

  it('a link on a forge, which lists the issue in its Ask there; not on the local tracker', () => {
    expect(linkQuestion('local', 2, ISSUE)).toBeNull();
    expect(linkQuestion('github', 2, { ...ISSUE, ask: null })).toBeNull(); // nothing outward
    expect(linkQuestion('github', 2, ISSUE)).toEqual({
      title: 'Link the notebook',
      body: 'Link this notebook to #2? This also adds “- [ ] #2 Churn by region” to Ask #1 on GitHub, unless it is listed there already.',
      accept: 'Link',
      warn: true
    });
    expect(linkQuestion('gitlab', 5)?.body).toBe(
      'Link this notebook to #5? This also adds “- [ ] #5 …” to its Ask (when it has one) on GitLab, unless it is listed there already.'
    );
  });

  it('a goal tick on a forge; the tracker kind is asked for when not known yet', async () => {
    const goal = { number: 2, text: 'churn rate per region' };
    expect(tickQuestion('local', goal, true)).toBeNull();
    expect(tickQuestion('github', goal, false)?.body).toBe(
      "Untick goal 2 (“churn rate per region”) in the issue's Goals on GitHub?"
    );
    const api = new FakeApi();
    api.queue('project', { tracker: { kind: 'gitlab', repo: 'a/b' } });
    expect(await trackerKindOf({ trackerKind: null, path: 'tune.ipynb', api })).toBe(
      'gitlab'
    );
    expect(await trackerKindOf({ trackerKind: 'local', path: 'tune.ipynb', api })).toBe(
      'local'
    );
    expect(api.called('project')).toHaveLength(1);
  });
});

describe('after a branch switch', () => {
  function doc(
    name: string,
    dirty: boolean,
    lastModified: string
  ): IOpenDocument & {
    reverts: number;
  } {
    const opened = {
      path: name,
      name,
      dirty,
      lastModified,
      reverts: 0,
      revert: async () => {
        opened.reverts += 1;
      }
    };
    return opened;
  }

  it('reverts the unmodified notebooks the switch changed and names the others', async () => {
    const changed = doc('a.ipynb', false, 't1');
    const edited = doc('b.ipynb', true, 't1');
    const same = doc('c.ipynb', false, 't1');
    const gone = doc('d.ipynb', false, 't1');
    const disk: Record<string, string | null> = {
      'a.ipynb': 't2',
      'b.ipynb': 't2',
      'c.ipynb': 't1',
      'd.ipynb': null
    };
    const result = await followSwitch(
      [changed, edited, same, gone],
      async path => disk[path]
    );
    expect(result).toEqual({
      reverted: ['a.ipynb'],
      unsaved: ['b.ipynb'],
      gone: ['d.ipynb'],
      failed: []
    });
    expect([changed, edited, same, gone].map(d => d.reverts)).toEqual([1, 0, 0, 0]);

    const notified: string[] = [];
    const warned: string[] = [];
    const switched: ISwitched = {
      branch: 'explore/2-churn-by-region',
      created: false,
      base: null,
      previous: 'main',
      stash_note: null,
      followUp: result
    };
    tellFollowUp(switched, {
      notify: message => notified.push(message),
      warn: message => warned.push(message)
    });
    expect(notified).toEqual([
      "Switched to explore/2-churn-by-region: reloaded a.ipynb from disk (the branch's version)."
    ]);
    expect(warned).toHaveLength(2);
    expect(warned[0]).toMatch(
      /^b\.ipynb has unsaved changes and the switch to explore\/2-churn-by-region changed its file on disk/
    );
    expect(warned[1]).toBe(
      'd.ipynb is not on explore/2-churn-by-region: the editor still shows it, and saving it writes it on explore/2-churn-by-region.'
    );
  });

  it('says which notebook could not be checked, and reverts the rest', async () => {
    const a = doc('a.ipynb', false, 't1');
    const result = await followSwitch([a, doc('b.ipynb', false, 't1')], async path => {
      if (path === 'b.ipynb') {
        throw new Error('the server did not answer');
      }
      return 't2';
    });
    expect(a.reverts).toBe(1);
    expect(followUpNotes(result, 'main').map(n => [n.warning, n.message])).toEqual([
      [false, "Switched to main: reloaded a.ipynb from disk (the branch's version)."],
      [
        true,
        'Could not reload b.ipynb after the switch to main: the server did not answer'
      ]
    ]);
  });
});
