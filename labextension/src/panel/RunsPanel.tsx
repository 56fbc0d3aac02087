/**
 * The Runs section wired to the model: the sortable, windowed table, rerun, the chart, and the
 * watcher that refreshes the runs when some were recorded elsewhere.
 */
import React from 'react';

import { ChartData } from '../api';
import { DslModel } from '../model';
import { waitForJob } from '../jobwait';
import { RunsWatcher, RUNS_POLL_MS } from '../runswatch';
import { RunsChart } from './RunsChart';
import { RunsSection } from './RunsView';

export function RunsPanel(props: {
  model: DslModel;
  path: string;
  onOpenRunNotebook: (id: string) => void;
  /** Open the notebook's runs as a full table in the main area. */
  onOpenInMainArea?: () => void;
  /** How often to look for runs recorded elsewhere, in ms. */
  pollInterval?: number;
}): JSX.Element {
  const { model, path } = props;
  const interval = props.pollInterval ?? RUNS_POLL_MS;
  React.useEffect(() => {
    const watcher = new RunsWatcher(model, interval);
    return () => watcher.dispose();
  }, [model, interval]);
  const rerun = React.useCallback(
    async (id: string): Promise<void> => {
      const job = await waitForJob(model.api, await model.api.rerunRun(id, path));
      await model.refreshRuns();
      if (job.run) {
        await model.selection.select(job.run.id);
      }
    },
    [model, path]
  );
  const loadChart = React.useCallback(
    (x: string, y: string): Promise<ChartData> => model.api.chartData({ path, x, y }),
    [model, path]
  );
  const runs = model.runs;
  return (
    <RunsSection
      path={path}
      runs={runs}
      loading={model.runsLoading}
      onRefresh={() => void model.refreshRuns()}
      onRerun={rerun}
      onOpenInMainArea={props.onOpenInMainArea}
      selection={{
        selected: model.selection.selected,
        run: model.selection.run,
        loading: model.selection.loading,
        onSelect: id => void model.selection.select(id),
        onOpenNotebook: props.onOpenRunNotebook
      }}
    >
      {runs.value !== null ? <RunsChart runs={runs.value} load={loadChart} /> : null}
    </RunsSection>
  );
}
