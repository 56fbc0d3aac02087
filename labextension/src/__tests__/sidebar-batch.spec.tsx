/**
 * The Parameters and Batch sections as a user meets them (see actdom.tsx: fake timers, the
 * debounces advanced, never waited for): **edit** beside a config file opens it and starts no run;
 * grid files are offered to the Batch section, not as config files, and load into the grid editor
 * (with what its fields cannot hold); Workers takes only 1 to 64; Cancel batch asks first; every
 * error of a batch's runs shows in full.
 */
import React from 'react';

import { DslApiError, GridPreview, NotebookParameter, ParamsReply } from '../api';
import { BatchModel } from '../batchmodel';
import { DslModel } from '../model';
import { ErrorList } from '../panel/BatchProgress';
import {
  BatchSection,
  PREVIEW_DEBOUNCE_MS,
  workersProblem
} from '../panel/BatchSection';
import { IConfirmOptions, ISidebarContext } from '../panel/context';
import { ParametersSection } from '../panel/ParametersSection';
import { ParamsFormModel } from '../paramsform';
import { actDom } from './actdom';
import { batchHost, FakeApi, FakeHost } from './fakes';
import { runningBatch } from './samples';

const { render, elapse, byTestId, one, click, type } = actDom();
function parameter(name: string, type: string, fallback: string): NotebookParameter {
  return { name, type, default: fallback, help: '', annotation: '', optional: false };
}

const PARAMS: ParamsReply = {
  path: 'tune.ipynb',
  cell: 1,
  cell_index: 0,
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

/** The Batch section over a fake model: what it shows, and what it asked the API. */
async function renderBatch(
  api: FakeApi,
  confirm: (options: IConfirmOptions) => Promise<boolean> = async () => true
): Promise<{ batches: BatchModel; opened: string[]; asked: IConfirmOptions[] }> {
  const batches = new BatchModel(batchHost(api));
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
      'Could not load the grid file: sweep.yaml: grid.alpha: must be a list of values, not float'
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
    expect(one('dsl-batch-errors').querySelector('b')).toBeNull();
  });
});
