/**
 * The Issue section's sync bar: a button that syncs the project's local issues with its git
 * remote (`jupyter dsl sync`) and the time of the last sync. Shown only when the project can sync
 * (local issues in git, a remote); a sync that fails shows the server's message and hint.
 */
import React from 'react';

import { DslApi } from '../api';
import { SyncModel, syncSummary } from '../syncmodel';
import { ErrorBox, useSignal } from './common';
import { formatTime } from './format';

export function SyncBar(props: {
  api: Pick<DslApi, 'syncStatus' | 'sync'>;
  /** The active notebook (its project is synced). */
  path: string;
  /** Fetch what the sidebar shows again, after a sync. */
  onSynced: () => Promise<void>;
}): JSX.Element | null {
  const { api, path, onSynced } = props;
  const synced = React.useRef(onSynced);
  synced.current = onSynced;
  const model = React.useMemo(() => new SyncModel(api, () => synced.current()), [api]);
  React.useEffect(() => () => model.dispose(), [model]);
  React.useEffect(() => {
    void model.load(path);
  }, [model, path]);
  useSignal(model.changed);

  const status = model.status;
  if (status === null || !status.possible) {
    return null;
  }
  const last = status.last_sync;
  return (
    <div className="jp-dsl-sync" data-testid="dsl-sync">
      <button
        className="jp-mod-styled"
        onClick={() => void model.sync()}
        disabled={model.busy}
        title={`Fetch the issues of ${status.remote ?? 'the remote'}, merge them, push this clone's`}
        data-testid="dsl-sync-button"
      >
        {model.busy ? 'Syncing…' : 'Sync issues'}
      </button>{' '}
      <span className="jp-dsl-muted" data-testid="dsl-sync-last">
        {last === null ? 'never synced' : `last synced ${formatTime(last)} UTC`}
      </span>
      {model.result !== null ? (
        <div className="jp-dsl-muted" data-testid="dsl-sync-result">
          {syncSummary(model.result)}
        </div>
      ) : null}
      <ErrorBox error={model.error} context="Sync" />
    </div>
  );
}
