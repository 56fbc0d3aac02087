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

export default async function globalSetup(): Promise<() => Promise<void>> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jupyter-dsl-ui-'));
  const root = path.join(tmp, 'project');
  const made = execFileSync(PYTHON, [path.join(__dirname, 'make_project.py'), root], {
    encoding: 'utf8'
  });
  // No "get notified about Jupyter news?" toast over the page.
  const notification = path.join(tmp, 'settings', '@jupyterlab', 'apputils-extension');
  fs.mkdirSync(notification, { recursive: true });
  fs.writeFileSync(
    path.join(notification, 'notification.jupyterlab-settings'),
    JSON.stringify({ fetchNews: 'false', checkForUpdates: false })
  );
  const port = await freePort();
  const token = crypto.randomBytes(24).toString('hex');
  const url = `http://127.0.0.1:${port}`;
  const log = path.join(tmp, 'jupyter-lab.log');
  const out = fs.openSync(log, 'w');
  const env = {
    ...process.env,
    JUPYTER_CONFIG_DIR: path.join(tmp, 'config'),
    JUPYTER_RUNTIME_DIR: path.join(tmp, 'runtime'),
    JUPYTERLAB_SETTINGS_DIR: path.join(tmp, 'settings'),
    JUPYTERLAB_WORKSPACES_DIR: path.join(tmp, 'workspaces'),
    GIT_AUTHOR_NAME: 'ui-test',
    GIT_AUTHOR_EMAIL: 'ui-test@localhost',
    GIT_COMMITTER_NAME: 'ui-test',
    GIT_COMMITTER_EMAIL: 'ui-test@localhost'
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
      ...extensionPath(tmp)
    ],
    { cwd: root, env, stdio: ['ignore', out, out], detached: true }
  );
  await waitForLab(url, token, lab, log);

  process.env.DSL_UI_URL = url;
  process.env.DSL_UI_TOKEN = token;
  process.env.DSL_UI_PROJECT = made;
  process.env.DSL_UI_LOG = log;

  return async () => {
    if (lab.pid !== undefined && lab.exitCode === null) {
      const exited = new Promise(resolve => lab.once('exit', resolve));
      process.kill(-lab.pid, 'SIGTERM'); // the process group this setup started
      await Promise.race([exited, new Promise(resolve => setTimeout(resolve, 10_000))]);
      if (lab.exitCode === null) {
        process.kill(-lab.pid, 'SIGKILL');
      }
    }
    fs.closeSync(out);
    if (process.env.DSL_UI_KEEP) {
      console.log(`kept ${tmp}`);
    } else {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  };
}
