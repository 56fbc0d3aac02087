/**
 * The Issue section's actions as a user meets them (see actdom.tsx): an issue can be created
 * without linking the notebook; outward actions ask first (a link or a goal tick on a forge);
 * after a branch switch, the open notebooks it changed are reverted, or named when they have
 * unsaved changes.
 */
import React from 'react';

import { Issue, NotebookLink, TemplatesReply } from '../api';
import {
  followSwitch,
  followUpNotes,
  IOpenDocument,
  ISwitched,
  tellFollowUp
} from '../branchfollow';
import { linksByDefault, NewIssueForm } from '../panel/NewIssueForm';
import { linkQuestion, tickQuestion, trackerKindOf } from '../panel/outward';
import { actDom } from './actdom';
import { FakeApi } from './fakes';

const { render, byTestId, one, click, type, select } = actDom();

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
            } as unknown as Issue,
            link: {} as NotebookLink,
            offline_as_of: null
          };
        }}
      />
    );
    const typeSelect = one('dsl-new-type') as HTMLSelectElement;
    const linkBox = one('dsl-new-link') as HTMLInputElement;
    expect([typeSelect.value, linkBox.checked]).toEqual(['Explore', true]);
    expect(one('dsl-new-submit').textContent).toBe('Create and link');

    await select(typeSelect, 'Ask');
    expect(linkBox.checked).toBe(false);
    expect(one('dsl-new-submit').textContent).toBe('Create');
    await type(one('dsl-new-title') as HTMLInputElement, 'Reduce churn');
    await click(one('dsl-new-submit'));
    expect(created).toEqual([['Ask', 'Reduce churn', false]]);
    expect(one('dsl-new-created').textContent).toBe(
      'Created Ask #7 “Reduce churn”; this notebook is not linked to it.'
    );

    await select(typeSelect, 'Explore');
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
      offline_as_of: null,
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
