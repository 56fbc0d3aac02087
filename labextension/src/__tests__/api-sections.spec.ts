/**
 * The client's calls for the Parameters and Findings sections and the server check, against a real
 * HTTP server on the loopback interface (real fetch, real ServerConnection): URLs, bodies and the
 * token are observed on the wire; the version check tells a missing or mismatched server apart.
 */
import fs from 'fs';
import path from 'path';

import { DslApi, DslApiError, EXTENSION_VERSION } from '../api';
import { checkServer } from '../compat';
import { folderOf, initSummary } from '../panel/NoProject';
import { IRecorded, Loopback } from './loopback';

const wire = new Loopback('/user/dsl/');
let recorded: IRecorded[] = [];
let baseUrl = '';

beforeAll(async () => {
  await wire.start();
  baseUrl = wire.baseUrl;
});
afterAll(() => wire.stop());

beforeEach(() => {
  wire.reset();
  recorded = wire.recorded;
});

const api = (): DslApi => wire.api({ token: 'secret-token', appendToken: false });

function answer(status: number, value: unknown): void {
  wire.answerNextJson(status, value);
}

const query = (request: IRecorded): [string, string][] => request.query;

describe('the sections’ routes', () => {
  it('checks typed values as NAME=TEXT query values, with the config files', async () => {
    answer(200, { valid: true, errors: {}, config_errors: {} });
    await api().checkValues('my dir/a.ipynb', {
      set: { alpha: '0.7', region: 'x=y' },
      config: ['configs/fast.yaml']
    });
    const [request] = recorded;
    expect(request.method).toBe('GET');
    expect(new URL(request.target, baseUrl).pathname).toBe(
      '/user/dsl/jupyter-dsl/values/my%20dir/a.ipynb'
    );
    expect(query(request)).toEqual([
      ['set', 'alpha=0.7'],
      ['set', 'region=x=y'],
      ['config', 'configs/fast.yaml']
    ]);
    expect(request.headers.authorization).toBe('token secret-token');
  });

  it('starts a run with a JSON body and reads the job from a 202', async () => {
    answer(202, { job: { id: 'j1', state: 'running' } });
    const job = await api().startRun('a.ipynb', { set: { alpha: '0.7' }, config: [] });
    expect(job).toEqual({ id: 'j1', state: 'running' });
    const [request] = recorded;
    expect([request.method, new URL(request.target, baseUrl).pathname]).toEqual([
      'POST',
      '/user/dsl/jupyter-dsl/jobs'
    ]);
    expect(JSON.parse(request.body)).toEqual({
      path: 'a.ipynb',
      set: { alpha: '0.7' },
      config: []
    });
  });

  it('ticks a goal with PUT, and refuses a goal number below 1 without a request', async () => {
    answer(200, { issue: 2, goals: [] });
    await api().tickGoal('a.ipynb', 3, false);
    expect(recorded[0].method).toBe('PUT');
    expect(JSON.parse(recorded[0].body)).toEqual({ number: 3, done: false });
    await expect(api().tickGoal('a.ipynb', 0, true)).rejects.toThrow(DslApiError);
    expect(recorded).toHaveLength(1);
  });

  it('asks for the dry run and the summary format', async () => {
    answer(200, { steps: [] });
    answer(200, { text: '' });
    await api().complete('nb/a.ipynb', { dry_run: true });
    await api().getFindings('nb/a.ipynb', 'md');
    expect(JSON.parse(recorded[0].body)).toEqual({ dry_run: true });
    expect(new URL(recorded[0].target, baseUrl).pathname).toBe(
      '/user/dsl/jupyter-dsl/findings/nb/a.ipynb'
    );
    expect(query(recorded[1])).toEqual([['to', 'md']]);
  });
});

describe('making a project', () => {
  it('posts the folder and the templates choice, with the token', async () => {
    const report = {
      root: 'analyses',
      created: ['dsl.toml'],
      overwritten: [],
      kept: [],
      ignored: ['.dsl/'],
      git_initialized: true,
      committed: 'abc1234def',
      commit_skipped: null,
      changed: true
    };
    answer(200, { report, project: { root: 'analyses' } });
    const reply = await api().initProject('analyses', true);
    expect(reply.report).toEqual(report);
    const [request] = recorded;
    expect([request.method, request.path]).toEqual([
      'POST',
      '/user/dsl/jupyter-dsl/project'
    ]);
    expect(JSON.parse(request.body)).toEqual({ path: 'analyses', templates: true });
    expect(request.headers.authorization).toBe('token secret-token');
  });
});

describe('initSummary', () => {
  const report = {
    root: '',
    created: ['dsl.toml', '.gitignore'],
    overwritten: [],
    kept: ['README.md'],
    ignored: ['.dsl/', 'data/'],
    git_initialized: true,
    committed: '0123456789abcdef',
    commit_skipped: null,
    changed: true
  };

  it('says what was made, kept and committed', () => {
    expect(initSummary(report)).toBe(
      'Done: made a git repository; wrote dsl.toml, .gitignore; git-ignored .dsl/ data/; ' +
        'kept your README.md; committed these files (0123456).'
    );
  });

  it('says why nothing was committed, and when nothing changed', () => {
    const skipped = {
      ...report,
      committed: null,
      commit_skipped: 'git does not know who you are'
    };
    expect(initSummary(skipped)).toContain(
      'did not commit: git does not know who you are'
    );
    const same = {
      ...report,
      created: [],
      kept: [],
      ignored: [],
      git_initialized: false,
      committed: null
    };
    expect(initSummary(same)).toBe('It was a DSLP project already.');
  });

  it('names the folder of a notebook, or the root', () => {
    expect(folderOf('a/b/c.ipynb')).toBe('a/b');
    expect(folderOf('c.ipynb')).toBe('');
  });
});

describe('checkServer', () => {
  it('is fine with the same version', async () => {
    answer(200, { version: EXTENSION_VERSION });
    expect(await checkServer(api())).toEqual({ ok: true, version: EXTENSION_VERSION });
  });

  it('says the server extension is missing on a 404', async () => {
    wire.answerNext(404, '<html>Not Found</html>');
    const check = await checkServer(api());
    expect(check.ok).toBe(false);
    expect(!check.ok && check.message).toContain('not enabled');
    expect(!check.ok && check.hint).toContain(
      'jupyter server extension enable jupyter_dsl'
    );
  });

  it('names both versions when they differ', async () => {
    answer(200, { version: '9.9.9' });
    const check = await checkServer(api());
    expect(!check.ok && check.message).toBe(
      `The jupyter_dsl server extension is version 9.9.9; this Lifecycle sidebar is version ${EXTENSION_VERSION}.`
    );
  });

  it('uses the version of package.json', () => {
    const file = path.join(__dirname, '..', '..', '..', 'package.json');
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).version).toBe(EXTENSION_VERSION);
  });
});
