/**
 * The parameters form model with the REST client replaced by a fake: checks are debounced (one
 * request after typing stops, not one per keystroke), only changed fields are sent, a run is
 * refused while the notebook has unsaved changes, and a started run is polled until it is done,
 * then the Runs list is fetched again.
 */
import { ParamsReply } from '../api';
import { ParamsFormModel } from '../paramsform';
import { Job, ValuesReply } from '../wire';
import { FakeApi, FakeHost, settle } from './fakes';

const PARAMS: ParamsReply = {
  path: 'tune.ipynb',
  cell: 2,
  cell_index: 1,
  parameters: [
    {
      name: 'alpha',
      type: 'float',
      default: '0.5',
      help: '',
      annotation: '',
      optional: false
    },
    {
      name: 'region',
      type: 'str',
      default: '"north"',
      help: '',
      annotation: '',
      optional: false
    }
  ],
  notes: []
};

const VALID: ValuesReply = {
  valid: true,
  message: null,
  hint: null,
  values: {},
  sources: {},
  coerced: {},
  errors: {},
  config_errors: {}
};

function job(state: Job['state']): Job {
  return {
    id: 'j1',
    kind: 'run',
    path: 'tune.ipynb',
    parameters: { alpha: 0.7 },
    state,
    started_at: '2026-01-01T00:00:00.000Z',
    finished_at: state === 'running' ? null : '2026-01-01T00:00:02.000Z',
    run:
      state === 'done' ? { id: '20260101-000000-abcdef', status: 'succeeded' } : null,
    batch: null,
    rerun: null,
    error: null
  };
}

let api: FakeApi;
let host: FakeHost;
let form: ParamsFormModel;

beforeEach(() => {
  jest.useFakeTimers();
  api = new FakeApi();
  api.queue('listConfigs', { configs: ['configs/fast.yaml'], grids: [] });
  api.queue('listJobs', []);
  host = new FakeHost(api);
  host.params = { value: PARAMS, error: null };
  form = new ParamsFormModel(host, { checkDelayMs: 300, pollMs: 1000 });
});

afterEach(() => {
  form.dispose();
  jest.useRealTimers();
});

describe('ParamsFormModel', () => {
  it('checks once after typing stops, sending only the changed fields', async () => {
    await settle();
    api.queue('checkValues', VALID);
    for (const text of ['0', '0.', '0.7']) {
      form.setText('alpha', text);
      await jest.advanceTimersByTimeAsync(100);
    }
    form.setText('region', '"north"'); // the default again: not sent
    expect(api.called('checkValues')).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(300);
    await settle();
    const checks = api.called('checkValues');
    expect(checks).toHaveLength(1);
    expect(checks[0].args).toEqual([
      'tune.ipynb',
      { set: { alpha: '0.7' }, config: [] }
    ]);
    expect(form.check).toEqual(VALID);
    expect(form.textOf(PARAMS.parameters[0])).toBe('0.7');
    expect(form.textOf(PARAMS.parameters[1])).toBe('"north"');
  });

  it('keeps the per-field messages of the server', async () => {
    await settle();
    const invalid: ValuesReply = {
      ...VALID,
      valid: false,
      message: "parameter 'alpha' must be float",
      errors: { alpha: "parameter 'alpha' must be float, got str 'fast'" }
    };
    api.queue('checkValues', invalid);
    form.setText('alpha', 'fast');
    form.toggleConfig('configs/fast.yaml');
    await jest.advanceTimersByTimeAsync(300);
    await settle();
    expect(api.called('checkValues')[0].args[1]).toEqual({
      set: { alpha: 'fast' },
      config: ['configs/fast.yaml']
    });
    expect(form.check?.errors.alpha).toContain('must be float');
    expect(form.available.value).toEqual(['configs/fast.yaml']);
  });

  it('refuses to run a notebook with unsaved changes, asking nothing of the server', async () => {
    host.notebook.dirty = true;
    await expect(form.run()).rejects.toThrow('save the notebook first');
    expect(api.called('startRun')).toHaveLength(0);
  });

  it('starts a run, polls it until it is done, then fetches the runs again', async () => {
    await settle();
    form.setText('alpha', '0.7');
    api.queue('startRun', job('running'));
    await form.run();
    expect(api.called('startRun')[0].args).toEqual([
      'tune.ipynb',
      { set: { alpha: '0.7' }, config: [] }
    ]);
    expect(form.running).toBe(true);
    const before = host.runRefreshes;
    expect(before).toBe(1); // the running record is in the index at once
    api.answers.set('listJobs', [[job('running')]]);
    await jest.advanceTimersByTimeAsync(1000);
    await settle();
    expect(host.runRefreshes).toBe(before);
    api.answers.set('listJobs', [[job('done')]]);
    await jest.advanceTimersByTimeAsync(1000);
    await settle();
    expect(form.running).toBe(false);
    expect(form.jobs[0].run?.status).toBe('succeeded');
    expect(host.runRefreshes).toBe(before + 1);
    const polls = api.called('listJobs').length;
    await jest.advanceTimersByTimeAsync(5000);
    await settle();
    expect(api.called('listJobs')).toHaveLength(polls); // no polling once nothing runs
  });

  it('forgets what was typed when another notebook becomes active', async () => {
    await settle();
    form.setText('alpha', '0.9');
    host.path = 'other.ipynb';
    api.queue('listConfigs', { configs: [], grids: [] });
    host.emitReloaded();
    expect(form.texts).toEqual({});
    expect(form.values()).toEqual({ set: {}, config: [] });
  });
});
