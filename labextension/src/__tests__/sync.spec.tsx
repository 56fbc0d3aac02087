/**
 * The Issue section's sync bar and its model: shown only when the project can sync, the last sync
 * time, a sync that fetches the issue again, and a refused sync's message and hint.
 */
import React from 'react';

import { DslApiError } from '../api';
import { SyncBar } from '../panel/SyncBar';
import { SyncModel, syncSummary } from '../syncmodel';
import { SyncReply, SyncStatus } from '../wire';
import { actDom } from './actdom';
import { FakeApi } from './fakes';

const { render, byTestId, one, click } = actDom();

const CAN: SyncStatus = {
  possible: true,
  remote: 'origin',
  last_sync: '2026-12-07T06:40:00Z',
  reason: null
};

function reply(over: Partial<SyncReply> = {}): SyncReply {
  return {
    remote: 'origin',
    came_in: [],
    went_out: [],
    renumbered: [],
    refused: [],
    lines: [],
    runs_indexed: null,
    last_sync: '2026-12-07T07:00:00Z',
    ...over
  };
}

describe('syncSummary', () => {
  it('counts what moved and names each renumbering', () => {
    const result = reply({
      came_in: [{ number: 4, title: 'Theirs', how: 'new' }],
      went_out: [{ number: 3, title: 'Mine', how: '' }],
      renumbered: [{ old: 3, new: 5, title: 'Mine' }]
    });
    expect(syncSummary(result)).toBe('1 in, 1 out, #3 is now #5');
    expect(syncSummary(reply())).toBe('already in sync with origin');
  });
});

describe('SyncModel', () => {
  it('loads the status, syncs, then fetches the sidebar again with the new time', async () => {
    const api = new FakeApi();
    api.queue('syncStatus', CAN);
    api.queue('sync', reply({ went_out: [{ number: 1, title: 'A', how: '' }] }));
    let refreshed = 0;
    const model = new SyncModel(api, async () => {
      refreshed += 1;
    });
    await model.load('a.ipynb');
    expect(model.status?.last_sync).toBe('2026-12-07T06:40:00Z');
    await model.sync();
    expect(api.called('sync').map(call => call.args)).toEqual([['a.ipynb']]);
    expect(refreshed).toBe(1);
    expect(model.status?.last_sync).toBe('2026-12-07T07:00:00Z');
    expect(model.result?.went_out).toHaveLength(1);
    expect(model.busy).toBe(false);
  });

  it('keeps a refused sync as its error and fetches nothing', async () => {
    const api = new FakeApi();
    api.queue('syncStatus', CAN);
    api.queue('sync', new DslApiError(409, 'origin refused the push: hook', 'Fix it.'));
    let refreshed = 0;
    const model = new SyncModel(api, async () => {
      refreshed += 1;
    });
    await model.load('a.ipynb');
    await model.sync();
    expect(model.error?.status).toBe(409);
    expect(model.result).toBeNull();
    expect(refreshed).toBe(0);
  });
});

describe('the sync bar', () => {
  it('is not shown when the project cannot sync', async () => {
    const api = new FakeApi();
    api.queue('syncStatus', {
      ...CAN,
      possible: false,
      remote: null,
      reason: 'no remote'
    });
    await render(<SyncBar api={api} path="a.ipynb" onSynced={async () => undefined} />);
    expect(api.called('syncStatus')).toHaveLength(1);
    expect(byTestId('dsl-sync')).toEqual([]);
  });

  it('shows the last sync time, syncs on click and says what moved', async () => {
    const api = new FakeApi();
    api.queue('syncStatus', { ...CAN, last_sync: null });
    api.queue(
      'sync',
      reply({
        came_in: [{ number: 2, title: '<img src=x onerror=alert(1)>', how: 'new' }]
      })
    );
    let refreshed = 0;
    await render(
      <SyncBar
        api={api}
        path="a.ipynb"
        onSynced={async () => {
          refreshed += 1;
        }}
      />
    );
    expect(one('dsl-sync-last').textContent).toBe('never synced');
    await click(one('dsl-sync-button'));
    expect(refreshed).toBe(1);
    expect(one('dsl-sync-result').textContent).toBe('1 in');
    expect(one('dsl-sync-last').textContent).toBe(
      'last synced 2026-12-07 07:00:00 UTC'
    );
    expect(one('dsl-sync').querySelector('img')).toBeNull();
  });

  it("shows the server's message and hint when the sync fails", async () => {
    const api = new FakeApi();
    api.queue('syncStatus', CAN);
    api.queue(
      'sync',
      new DslApiError(
        409,
        'origin refused the push: frozen',
        'Fix what git says, then sync again.'
      )
    );
    await render(<SyncBar api={api} path="a.ipynb" onSynced={async () => undefined} />);
    await click(one('dsl-sync-button'));
    expect(one('dsl-error-message').textContent).toBe(
      'Sync: origin refused the push: frozen'
    );
    expect(one('dsl-error-hint').textContent).toBe(
      'Fix what git says, then sync again.'
    );
    expect((one('dsl-sync-button') as HTMLButtonElement).disabled).toBe(false);
  });
});
