/**
 * The new section components rendered by React into a real (jsdom) DOM: the completion plan shows
 * each step's exact text as text (never as HTML), the issue shows its labels, its Ask's other
 * issues and the branch switch, the search filters the picker, and the parameters form shows the
 * server's message beside the field it is about.
 */
import { ReactWidget } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';
import React from 'react';

import {
  DslApiError,
  IssueReply,
  NewIssueRequest,
  ParamsReply,
  TemplatesReply
} from '../api';
import { DslModel } from '../model';
import { ISidebarContext } from '../panel/context';
import { htmlBody, PlanBody } from '../panel/FindingsSection';
import { IssueView } from '../panel/IssueView';
import { matchesSearch } from '../panel/LinkPicker';
import { NewIssueForm } from '../panel/NewIssueForm';
import { ParametersSection } from '../panel/ParametersSection';
import { LifecyclePanel } from '../panel/Sidebar';
import { ParamsFormModel } from '../paramsform';
import { CompleteReply } from '../wire';
import { FakeApi, FakeHost, settle, typeInto, until } from './fakes';
import { LINK, sampleIssue as issue } from './samples';

const widgets: Widget[] = [];

afterEach(() => {
  for (const widget of widgets.splice(0)) {
    widget.dispose();
  }
});

async function render(element: JSX.Element): Promise<HTMLElement> {
  const widget = ReactWidget.create(element);
  widgets.push(widget);
  Widget.attach(widget, document.body);
  await until(() => widget.node.childElementCount > 0, 'the first render');
  return widget.node;
}

const byTestId = (node: HTMLElement, id: string): HTMLElement[] => [
  ...node.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)
];

describe('PlanBody', () => {
  it('lists the pending steps with their exact text, as text', async () => {
    const plan: CompleteReply = {
      issue: issue(2, 'Churn'),
      dry_run: true,
      steps: [
        {
          description: 'write findings/2-churn.md',
          state: 'would do',
          detail: '# Churn\n<img src=x onerror="alert(1)"><script>alert(2)</script>'
        },
        { description: 'close #2', state: 'would do', detail: '' },
        { description: 'commit', state: 'already done', detail: '' }
      ],
      notes: ['#2 has no pull request to close'],
      summary_path: null,
      link: null,
      saved_status: 'active',
      offline_as_of: null
    };
    const node = await render(<PlanBody plan={plan} />);
    const steps = byTestId(node, 'dsl-plan-step');
    expect(steps.map(s => s.firstChild?.textContent)).toEqual([
      'write findings/2-churn.md',
      'close #2'
    ]);
    expect(node.querySelector('pre')?.textContent).toContain(
      '<script>alert(2)</script>'
    );
    expect(node.querySelector('script, img')).toBeNull();
    expect(node.textContent).toContain('Already done: commit');
    expect(node.textContent).toContain('Note: #2 has no pull request to close');
  });
});

describe('IssueView', () => {
  it('shows labels, the Ask with its other issues, and a branch switch when git is elsewhere', async () => {
    const details: IssueReply = {
      issue: issue(2, 'Churn by region', { labels: ['Explore', 'on hold'] }),
      ask: issue(1, 'Why churn?', { type: 'Ask', ask: null }),
      ask_missing: false,
      link: LINK,
      offline_as_of: null
    };
    let switched = 0;
    const node = await render(
      <IssueView
        link={LINK}
        details={details}
        error={null}
        loading={false}
        currentBranch="main"
        colors={{}}
        labels={[
          { name: 'on hold', kind: 'status', color: 'ffffff', description: 'paused' }
        ]}
        siblings={[
          issue(2, 'Churn by region'),
          issue(3, 'Try trees', { type: 'Experiment' })
        ]}
        rendermime={null as never}
        onUnlink={() => undefined}
        onRefresh={() => undefined}
        onSwitchBranch={() => switched++}
      />
    );
    expect(byTestId(node, 'dsl-issue-label').map(n => n.textContent)).toEqual([
      'Explore',
      'on hold'
    ]);
    expect(byTestId(node, 'dsl-issue-label')[1].style.backgroundColor).toBe(
      'rgb(255, 255, 255)'
    );
    expect(byTestId(node, 'dsl-issue-ask')[0].textContent).toBe('Ask#1 Why churn?');
    expect(byTestId(node, 'dsl-ask-child').map(n => n.textContent)).toEqual([
      'Experiment#3 Try trees'
    ]);
    byTestId(node, 'dsl-switch-branch')[0].click();
    expect(switched).toBe(1);
  });
});

describe('matchesSearch', () => {
  it('matches every word of the title, or the number', () => {
    const churn = issue(12, 'Churn by region');
    expect(matchesSearch(churn, 'region churn')).toBe(true);
    expect(matchesSearch(churn, 'churn trees')).toBe(false);
    expect(matchesSearch(churn, '#12')).toBe(true);
    expect(matchesSearch(churn, '1')).toBe(false);
    expect(matchesSearch(churn, '  ')).toBe(true);
  });
});

describe('ParametersSection', () => {
  it("puts the server's message beside the field it is about", async () => {
    const api = new FakeApi();
    api.queue('listConfigs', { configs: [], grids: [] });
    api.queue('listJobs', []);
    const host = new FakeHost(api);
    const params: ParamsReply = {
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
          name: 'n',
          type: 'int',
          default: '3',
          help: '',
          annotation: '',
          optional: false
        }
      ],
      notes: []
    };
    host.params = { value: params, error: null };
    const form = new ParamsFormModel(host, { checkDelayMs: 10 });
    api.queue('checkValues', {
      valid: false,
      message: "parameter 'alpha' must be float",
      hint: null,
      values: {},
      sources: {},
      coerced: {},
      errors: {
        alpha: "parameter 'alpha' must be float, got str 'fast' (from the form)"
      },
      config_errors: {}
    });
    const context = {
      model: host as unknown as DslModel,
      form,
      actions: { makeParametersCell: () => undefined }
    } as unknown as ISidebarContext;
    const node = await render(<ParametersSection context={context} />);
    const inputs = byTestId(node, 'dsl-param-input') as HTMLInputElement[];
    expect(inputs.map(i => i.value)).toEqual(['0.5', '3']);
    jest.useFakeTimers(); // the check's delay runs on jest's clock
    try {
      form.setText('alpha', 'fast');
      await jest.advanceTimersByTimeAsync(10); // typing stopped: the check is sent
    } finally {
      jest.useRealTimers();
    }
    expect(api.called('checkValues')).toHaveLength(1);
    await settle(); // its answer
    await until(
      () => byTestId(node, 'dsl-param-error').length > 0,
      "the server's message"
    );
    const errors = byTestId(node, 'dsl-param-error');
    expect(errors.map(e => e.textContent)).toEqual([
      "parameter 'alpha' must be float, got str 'fast' (from the form)"
    ]);
    expect(errors[0].closest('[data-name]')?.getAttribute('data-name')).toBe('alpha');
    expect((byTestId(node, 'dsl-run-button')[0] as HTMLButtonElement).disabled).toBe(
      true
    );
    form.dispose();
  });
});

describe('NewIssueForm', () => {
  it("shows the server's refusal of an Ask that is not one, naming its type", async () => {
    const templates: TemplatesReply = {
      types: [
        {
          type: 'Explore',
          color: 'f0f29b',
          description: '',
          links_ask: true,
          templates: [
            { key: 'Explore', name: 'Explore', title_pattern: '', sections: [] }
          ]
        }
      ],
      labels: []
    };
    const sent: Omit<NewIssueRequest, 'path'>[] = [];
    const refusal = new DslApiError(
      400,
      '#2 is of type Explore, not an Ask',
      'Name an issue of type Ask (labelled Ask).'
    );
    const node = await render(
      <NewIssueForm
        path="a.ipynb"
        templates={templates}
        templatesError={null}
        // listed as an Ask a moment ago; the tracker now says it is an Explore
        listAsks={() => Promise.resolve([issue(2, 'Churn by region', { type: 'Ask' })])}
        onCreate={request => {
          sent.push(request);
          return Promise.reject(refusal);
        }}
        focusRequest={0}
      />
    );
    const ask = byTestId(node, 'dsl-new-ask')[0] as HTMLSelectElement;
    for (let i = 0; i < 200 && ask.options.length < 2; i++) {
      await new Promise(resolve => setTimeout(resolve, 5)); // the Asks are listed
    }
    ask.value = '2';
    ask.dispatchEvent(new Event('change', { bubbles: true }));
    typeInto(byTestId(node, 'dsl-new-title')[0] as HTMLInputElement, 'Churn by tenure');
    (byTestId(node, 'dsl-new-submit')[0] as HTMLButtonElement).click();
    await settle();
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(sent).toEqual([{ type: 'Explore', title: 'Churn by tenure', ask: 2 }]);
    expect(byTestId(node, 'dsl-error-message').map(e => e.textContent)).toEqual([
      'Could not create the issue: #2 is of type Explore, not an Ask'
    ]);
    expect(byTestId(node, 'dsl-error-hint')[0].textContent).toBe(
      'Name an issue of type Ask (labelled Ask).'
    );
  });
});

describe('LifecyclePanel', () => {
  it('says the server extension is missing instead of showing empty sections', async () => {
    const host = new FakeHost(new FakeApi());
    const api = {
      version: () => Promise.reject(new DslApiError(404, 'Not Found'))
    };
    const context = { model: { ...host, changed: host.changed, path: 'a.ipynb', api } };
    const node = await render(
      <LifecyclePanel context={context as unknown as ISidebarContext} />
    );
    await until(() => byTestId(node, 'dsl-server-problem').length > 0, 'the problem');
    expect(byTestId(node, 'dsl-server-problem')[0].textContent).toContain(
      'The jupyter_dsl server extension is not enabled on this Jupyter server.'
    );
    expect(node.querySelector('[data-section]')).toBeNull();
  });
});

describe('htmlBody', () => {
  it('keeps the body of a whole document, not its title', () => {
    const html =
      '<html><head><title>T</title><style>p{}</style></head><body><h1>S</h1></body></html>';
    expect(htmlBody(html)).toBe('<h1>S</h1>');
  });
});
