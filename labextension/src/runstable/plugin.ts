/**
 * The command that opens the main-area runs table (`jupyter-dsl:open-runs-table {path?, batch?}`;
 * without a path, the current notebook's runs: the palette's "Open the Runs Table in the Main
 * Area"), its tracker, and its place in the restored layout. The sidebar's Runs section and a
 * batch's progress call it with their notebook (and batch).
 */
import { ILayoutRestorer, JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget, WidgetTracker } from '@jupyterlab/apputils';

import { showError } from '../commands';
import { DslModel } from '../model';
import { IRunsTableSource } from './model';
import { createRunsTable, runsTableId, RunsTableWidget } from './widget';

export const OPEN_RUNS_TABLE = 'jupyter-dsl:open-runs-table';

/** The table's source from a command's arguments, or the current notebook's runs. */
function sourceOf(
  args: Record<string, unknown>,
  model: Pick<DslModel, 'path'>
): IRunsTableSource | null {
  const path =
    typeof args.path === 'string' && args.path !== '' ? args.path : model.path;
  const batch = typeof args.batch === 'string' && args.batch !== '' ? args.batch : null;
  return path === null ? null : { path, batch };
}

export function addRunsTableCommand(
  app: JupyterFrontEnd,
  model: DslModel,
  restorer: ILayoutRestorer | null,
  openRunNotebook: (id: string, path: string) => void
): void {
  const tracker = new WidgetTracker<MainAreaWidget<RunsTableWidget>>({
    namespace: 'jupyter-dsl-runs-table'
  });
  app.commands.addCommand(OPEN_RUNS_TABLE, {
    label: args =>
      typeof args.batch === 'string' && args.batch !== ''
        ? 'Open the Batch in the Main Area'
        : 'Open the Runs Table in the Main Area',
    caption:
      "A notebook's runs (or a batch's) as a full table: every parameter and metric, sort, " +
      'filter, compare, chart',
    isEnabled: args => sourceOf(args, model) !== null,
    execute: async args => {
      const source = sourceOf(args, model);
      if (source === null) {
        showError('Could not open the runs table', new Error('no notebook is active'));
        return;
      }
      const open = tracker.find(widget => widget.id === runsTableId(source));
      if (open) {
        app.shell.activateById(open.id);
        return;
      }
      const widget = createRunsTable(model.api, source, id =>
        openRunNotebook(id, source.path)
      );
      await tracker.add(widget);
      app.shell.add(widget, 'main');
      app.shell.activateById(widget.id);
    }
  });
  if (restorer) {
    void restorer.restore(tracker, {
      command: OPEN_RUNS_TABLE,
      args: widget => ({
        path: widget.content.model.source.path,
        batch: widget.content.model.source.batch ?? ''
      }),
      name: widget => widget.id
    });
  }
}
