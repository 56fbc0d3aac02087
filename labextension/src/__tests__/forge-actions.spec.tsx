/**
 * The Issue section's forge actions rendered by React into a real (jsdom) DOM: hidden on the local
 * tracker, "Open on GitHub" a new-tab link to the issue's URL, "Open a PR" only after the user
 * accepts, then the pull request's link; the offline state line.
 */
import { ReactWidget } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';
import React from 'react';

import { IssueReply } from '../api';
import { ForgeActions, IForgeActionsProps } from '../panel/ForgeActions';
import { ISidebarActions } from '../panel/context';
import { PullReply } from '../wire';
import { until } from './fakes';
import { LINK, sampleIssue } from './samples';

const widgets: Widget[] = [];

afterEach(() => {
  for (const widget of widgets.splice(0)) {
    widget.dispose();
  }
});

async function render(element: JSX.Element): Promise<HTMLElement> {
  // A wrapper that always renders: an empty answer is then told apart from "not rendered yet".
  const widget = ReactWidget.create(<div data-testid="rendered">{element}</div>);
  widgets.push(widget);
  Widget.attach(widget, document.body);
  await until(() => byTestId(widget.node, 'rendered') !== null);
  expect(byTestId(widget.node, 'rendered')).not.toBeNull();
  return widget.node;
}

const byTestId = (node: HTMLElement, id: string): HTMLElement | null =>
  node.querySelector<HTMLElement>(`[data-testid="${id}"]`);

const URL = 'https://forge.example.invalid/octo/demo/issues/2';

function details(offline: string | null): IssueReply {
  return {
    issue: sampleIssue(2, 'Churn by region', {
      tracker: 'github',
      labels: ['Explore'],
      url: URL
    }),
    ask: null,
    ask_missing: false,
    link: LINK,
    offline_as_of: offline
  };
}

const PULL: PullReply = {
  issue: 2,
  pull: {
    number: 7,
    state: 'open',
    url: 'https://forge.example.invalid/octo/demo/pull/7',
    reference: '#7'
  },
  branch: 'explore/2-churn-by-region',
  remote: 'origin',
  created: true,
  offline_as_of: null
};

function model(
  kind: string,
  offline: string | null = null
): IForgeActionsProps['model'] & { pulls: number } {
  const fake = {
    pulls: 0,
    trackerKind: kind,
    details: details(offline),
    offlineAsOf: offline,
    openPull: async (): Promise<PullReply> => {
      fake.pulls += 1;
      return PULL;
    }
  };
  return fake;
}

function actions(answer: boolean): ISidebarActions & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    openRunNotebook: () => undefined,
    openRunsTable: () => undefined,
    openFile: () => undefined,
    makeParametersCell: () => undefined,
    notify: () => undefined,
    warn: () => undefined,
    confirm: async options => {
      asked.push(options.title);
      return answer;
    }
  };
}

describe('ForgeActions', () => {
  it('shows nothing for the local tracker', async () => {
    const node = await render(
      <ForgeActions model={model('local')} actions={actions(true)} />
    );
    expect(byTestId(node, 'dsl-forge-actions')).toBeNull();
  });

  it('links the issue on GitHub in a new tab and opens a PR only after the user accepts', async () => {
    const fake = model('github');
    const declined = actions(false);
    const node = await render(<ForgeActions model={fake} actions={declined} />);
    const open = byTestId(node, 'dsl-open-on-forge') as HTMLAnchorElement;
    expect(open.textContent).toBe('Open on GitHub');
    expect(open.getAttribute('href')).toBe(URL);
    expect(open.target).toBe('_blank');
    expect(open.rel.split(' ')).toContain('noopener');

    byTestId(node, 'dsl-open-pull')?.click();
    await until(() => declined.asked.length > 0);
    expect(declined.asked).toEqual(['Open a pull request']);
    expect(fake.pulls).toBe(0);

    const accepted = actions(true);
    const again = await render(<ForgeActions model={fake} actions={accepted} />);
    byTestId(again, 'dsl-open-pull')?.click();
    await until(() => byTestId(again, 'dsl-pull-link') !== null);
    expect(fake.pulls).toBe(1);
    const link = byTestId(again, 'dsl-pull-link');
    expect(link?.textContent).toBe('Opened #7 for explore/2-churn-by-region');
    expect(link?.querySelector('a')?.getAttribute('href')).toBe(PULL.pull.url);
  });

  it('says when the forge was offline and offers no PR then', async () => {
    const node = await render(
      <ForgeActions
        model={model('gitlab', '2026-01-02T03:04:05Z')}
        actions={actions(true)}
      />
    );
    expect(byTestId(node, 'dsl-offline')?.textContent).toBe(
      'offline, as of 2026-01-02T03:04:05Z'
    );
    expect(byTestId(node, 'dsl-open-on-forge')?.textContent).toBe('Open on GitLab');
    expect(byTestId(node, 'dsl-open-pull')).toBeNull();
  });
});
