/**
 * Make a temporary DSLP project (make_project.py, through jupyter-dsl's core) and start a real
 * JupyterLab on it, on a free loopback port with a random token, with the jupyter_dsl server
 * extension enabled and this repository's built labextension first on the extension path.
 * The tests read where it runs from the DSL_UI_* environment variables set here.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import crypto from 'crypto';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';

const REPO = path.resolve(__dirname, '..', '..');
const BUILT = path.join(REPO, 'jupyter_dsl', 'labextension');
const PYTHON = process.env.PYTHON || 'python';
const START_TIMEOUT_MS = 120_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForLab(
  url: string,
  token: string,
  lab: ChildProcess,
  log: string
): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (lab.exitCode !== null) {
      throw new Error(
        `jupyter lab exited with ${lab.exitCode}:\n${fs.readFileSync(log, 'utf8')}`
      );
    }
    try {
      const response = await fetch(`${url}/jupyter-dsl/version`, {
        headers: { Authorization: `token ${token}` }
      });
      if (response.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  throw new Error(
    `jupyter lab did not answer /jupyter-dsl/version in time:\n${fs.readFileSync(log, 'utf8')}`
  );
}

/** Put the repository's build first on the labextension path, so the tests run this code. */
function extensionPath(tmp: string): string[] {
  if (!fs.existsSync(path.join(BUILT, 'package.json'))) {
    console.warn(
      `${BUILT} is not built (run \`jlpm build\`); testing the installed jupyter-dsl labextension`
    );
    return [];
  }
  const dir = path.join(tmp, 'labextensions');
  fs.mkdirSync(dir);
  fs.symlinkSync(BUILT, path.join(dir, 'jupyter-dsl'), 'dir');
  return [`--LabApp.extra_labextensions_path=${dir}`];
}

interface ILab {
  url: string;
  token: string;
  log: string;
  stop: () => Promise<void>;
}

/** Stop a process group this setup started (SIGTERM, then SIGKILL after 10 s). */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise(resolve => child.once('exit', resolve));
    process.kill(-child.pid, 'SIGTERM');
    await Promise.race([exited, new Promise(resolve => setTimeout(resolve, 10_000))]);
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid, 'SIGKILL');
    }
  }
}

/** A notebook with a parameters cell, written where no DSLP project is. */
const PLAIN_NOTEBOOK = {
  cells: [
    {
      cell_type: 'code',
      execution_count: null,
      id: 'params',
      metadata: { tags: ['parameters'] },
      outputs: [],
      source: 'alpha = 0.5'
    },
    {
      cell_type: 'code',
      execution_count: null,
      id: 'use',
      metadata: {},
      outputs: [],
      source: 'print(alpha)'
    }
  ],
  metadata: {
    kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' }
  },
  nbformat: 4,
  nbformat_minor: 5
};

/** Start JupyterLab on `root`; its config, runtime, settings and log live in `dir`. */
async function startLab(
  dir: string,
  root: string,
  extraEnv: Record<string, string> = {}
): Promise<ILab> {
  fs.mkdirSync(dir, { recursive: true });
  // No "get notified about Jupyter news?" toast over the page.
  const notification = path.join(dir, 'settings', '@jupyterlab', 'apputils-extension');
  fs.mkdirSync(notification, { recursive: true });
  fs.writeFileSync(
    path.join(notification, 'notification.jupyterlab-settings'),
    JSON.stringify({ fetchNews: 'false', checkForUpdates: false })
  );
  const port = await freePort();
  const token = crypto.randomBytes(24).toString('hex');
  const url = `http://127.0.0.1:${port}`;
  const log = path.join(dir, 'jupyter-lab.log');
  const out = fs.openSync(log, 'w');
  const env = {
    ...process.env,
    JUPYTER_CONFIG_DIR: path.join(dir, 'config'),
    JUPYTER_RUNTIME_DIR: path.join(dir, 'runtime'),
    JUPYTERLAB_SETTINGS_DIR: path.join(dir, 'settings'),
    JUPYTERLAB_WORKSPACES_DIR: path.join(dir, 'workspaces'),
    GIT_AUTHOR_NAME: 'ui-test',
    GIT_AUTHOR_EMAIL: 'ui-test@localhost',
    GIT_COMMITTER_NAME: 'ui-test',
    GIT_COMMITTER_EMAIL: 'ui-test@localhost',
    ...extraEnv
  };
  const lab = spawn(
    PYTHON,
    [
      '-m',
      'jupyterlab',
      '--allow-root',
      '--no-browser',
      '--ip=127.0.0.1',
      `--port=${port}`,
      '--port-retries=0',
      `--ServerApp.root_dir=${root}`,
      `--IdentityProvider.token=${token}`,
      '--ServerApp.jpserver_extensions={"jupyter_dsl": True}',
      '--LabApp.news_url=None',
      '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate',
      '--LabApp.expose_app_in_browser=True',
      ...extensionPath(dir)
    ],
    { cwd: root, env, stdio: ['ignore', out, out], detached: true }
  );
  await waitForLab(url, token, lab, log);
  return {
    url,
    token,
    log,
    stop: async () => {
      await stopGroup(lab);
      fs.closeSync(out);
    }
  };
}

/**
 * Start the GitHub test server (github_server_main.py) with a DSLP project on it; resolves with
 * the JSON line it prints once the project is made.
 */
function startGitHub(
  root: string,
  token: string,
  log: string
): Promise<{ child: ChildProcess; made: string }> {
  const child = spawn(PYTHON, [path.join(__dirname, 'github_server_main.py'), root], {
    env: { ...process.env, DSL_UI_GITHUB_TOKEN: token },
    stdio: ['ignore', 'pipe', fs.openSync(log, 'w')],
    detached: true
  });
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `the GitHub test server did not start:\n${fs.readFileSync(log, 'utf8')}`
          )
        ),
      START_TIMEOUT_MS
    );
    child.stdout?.on('data', chunk => {
      text += String(chunk);
      const end = text.indexOf('\n');
      if (end >= 0) {
        clearTimeout(timer);
        resolve({ child, made: text.slice(0, end) });
      }
    });
    child.once('exit', code => {
      clearTimeout(timer);
      reject(
        new Error(
          `the GitHub test server exited with ${code}:\n${fs.readFileSync(log, 'utf8')}`
        )
      );
    });
  });
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jupyter-dsl-ui-'));
  const root = path.join(tmp, 'project');
  const made = execFileSync(PYTHON, [path.join(__dirname, 'make_project.py'), root], {
    encoding: 'utf8'
  });
  const lab = await startLab(tmp, root);

  // forge.spec.ts: a second JupyterLab on a project whose tracker is the GitHub test server; the
  // fake token is only in that server's environment (and the test's, which searches for it).
  const githubToken = `ghp_UITEST${crypto.randomBytes(16).toString('hex')}`;
  const github = await startGitHub(
    path.join(tmp, 'forge-project'),
    githubToken,
    path.join(tmp, 'github-server.log')
  );
  const forgeLab = await startLab(
    path.join(tmp, 'forge-lab'),
    path.join(tmp, 'forge-project'),
    {
      GITHUB_TOKEN: githubToken
    }
  );

  // project.spec.ts: a third JupyterLab on a folder in no DSLP project (no dsl.toml, no git).
  const plain = path.join(tmp, 'plain');
  fs.mkdirSync(path.join(plain, 'analyses'), { recursive: true });
  fs.writeFileSync(
    path.join(plain, 'analyses', 'churn.ipynb'),
    JSON.stringify(PLAIN_NOTEBOOK)
  );
  const plainLab = await startLab(path.join(tmp, 'plain-lab'), plain);

  process.env.DSL_UI_URL = lab.url;
  process.env.DSL_UI_TOKEN = lab.token;
  process.env.DSL_UI_PROJECT = made;
  process.env.DSL_UI_LOG = lab.log;
  process.env.DSL_UI_FORGE = JSON.stringify({
    ...JSON.parse(github.made),
    lab_url: forgeLab.url,
    lab_token: forgeLab.token,
    github_token: githubToken
  });
  process.env.DSL_UI_PLAIN = JSON.stringify({
    root: plain,
    notebook: 'analyses/churn.ipynb',
    lab_url: plainLab.url,
    lab_token: plainLab.token
  });

  return async () => {
    await lab.stop();
    await forgeLab.stop();
    await plainLab.stop();
    await stopGroup(github.child);
    if (process.env.DSL_UI_KEEP) {
      console.log(`kept ${tmp}`);
    } else {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  };
}
