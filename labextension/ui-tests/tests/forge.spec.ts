/**
 * The sidebar against the GitHub test server (github_server_main.py, started by global-setup with
 * a second JupyterLab whose environment alone holds the fake token): link a notebook to the
 * Explore issue, see the issue as GitHub serves it, the Ask maintained like `jupyter dsl link`
 * does, the "Open on GitHub" link, and no response the browser gets carrying the token.
 */
import { expect, Response, test } from '@playwright/test';

import { kernelIdle, openSidebar } from './helpers';

interface IForge {
  root: string;
  notebook: string;
  repo: string;
  api_url: string;
  web_url: string;
  ask: { number: number; title: string };
  explore: { number: number; title: string; url: string };
  lab_url: string;
  lab_token: string;
  github_token: string;
}

const FORGE: IForge = JSON.parse(process.env.DSL_UI_FORGE ?? 'null');

/** The Ask's body as the GitHub test server has it (reads need no token there). */
async function askBody(): Promise<string> {
  const response = await fetch(
    `${FORGE.api_url}/repos/${FORGE.repo}/issues/${FORGE.ask.number}`,
    { headers: { Accept: 'application/vnd.github+json' } }
  );
  expect(response.status).toBe(200);
  const issue = (await response.json()) as { body: string };
  return issue.body;
}

test('links a notebook to a GitHub issue from the sidebar, the Ask maintained, no token shown', async ({
  page
}) => {
  expect(FORGE, 'DSL_UI_FORGE is set by global-setup.ts').not.toBeNull();
  const { explore, ask } = FORGE;
  const line = `- [ ] #${explore.number} ${explore.title}`;
  expect((await askBody()).split('\n')).not.toContain(line);

  const bodies: Promise<string>[] = [];
  page.on('response', (response: Response) => {
    bodies.push(
      response.body().then(
        body =>
          `${response.url()}\n${JSON.stringify(response.headers())}\n${body.toString('latin1')}`,
        () => `${response.url()}\n${JSON.stringify(response.headers())}` // a redirect has no body
      )
    );
  });

  await page.goto(
    `${FORGE.lab_url}/lab/tree/${encodeURIComponent(FORGE.notebook)}?reset&token=${FORGE.lab_token}`
  );
  await expect(page.locator('#jupyterlab-splash')).toHaveCount(0);
  await expect(page.locator('.jp-NotebookPanel:visible .jp-Cell')).toHaveCount(2);
  await kernelIdle(page);
  const sidebar = await openSidebar(page);
  await expect(sidebar.getByTestId('dsl-not-linked')).toBeVisible();

  await sidebar.getByTestId(`dsl-pick-issue-${explore.number}`).click();
  // linking changes the Ask on GitHub: the sidebar asks first, naming the line it adds
  const dialog = page.locator('.jp-Dialog');
  await expect(dialog).toContainText(`adds “${line}” to Ask #${ask.number} on GitHub`);
  expect((await askBody()).split('\n')).not.toContain(line); // nothing changed before the answer
  await dialog.getByRole('button', { name: 'Link' }).click();

  await expect(sidebar.getByTestId('dsl-issue-number')).toHaveText(
    `#${explore.number}`
  );
  await expect(sidebar.getByTestId('dsl-issue-title')).toHaveText(explore.title);
  await expect(sidebar.getByTestId('dsl-issue-badge')).toHaveText('Explore');
  await expect(sidebar.getByTestId('dsl-issue-label')).toHaveText(['Explore']);
  await expect(sidebar.getByTestId('dsl-issue-ask')).toHaveText(
    `Ask#${ask.number} ${ask.title}`
  );
  // The link action did the Ask maintenance `jupyter dsl link` does: one line for the Explore.
  expect((await askBody()).split('\n').filter(l => l === line)).toHaveLength(1);

  const open = sidebar.getByTestId('dsl-open-on-forge');
  await expect(open).toHaveText('Open on GitHub');
  await expect(open).toHaveAttribute(
    'href',
    `${FORGE.web_url}/${FORGE.repo}/issues/${explore.number}`
  );
  await expect(open).toHaveAttribute('target', '_blank');
  await expect(open).toHaveAttribute('rel', /noopener/);
  await expect(sidebar.getByTestId('dsl-open-pull')).toBeVisible();
  await expect(sidebar.getByTestId('dsl-offline')).toHaveCount(0);

  const seen = await Promise.all(bodies);
  expect(seen.some(text => text.includes('/jupyter-dsl/links/'))).toBe(true);
  const leaking = seen.filter(text => text.includes(FORGE.github_token));
  expect(leaking.map(text => text.split('\n')[0])).toEqual([]);
});
