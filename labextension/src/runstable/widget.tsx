/**
 * The main-area tab of the runs table: a `ReactWidget` over a `RunsTableModel` (disposed with
 * the tab, which stops its poll), inside JupyterLab's `MainAreaWidget`.
 */
import { MainAreaWidget } from '@jupyterlab/apputils';
import { ReactWidget, tableRowsIcon } from '@jupyterlab/ui-components';
import React from 'react';

import { IRunsTableSource, RunsTableApi, RunsTableModel } from './model';
import { RunsTableView } from './RunsTableView';

export class RunsTableWidget extends ReactWidget {
  constructor(
    readonly model: RunsTableModel,
    private readonly openNotebook: (id: string) => void
  ) {
    super();
    this.addClass('jp-dsl-rtable-widget');
  }

  dispose(): void {
    if (!this.isDisposed) {
      this.model.dispose();
    }
    super.dispose();
  }

  protected render(): JSX.Element {
    return <RunsTableView model={this.model} onOpenNotebook={this.openNotebook} />;
  }
}

/** The main-area id of the table of `source` (one tab per notebook, and per batch). */
export function runsTableId(source: IRunsTableSource): string {
  const batch = source.batch === null ? '' : `-batch-${source.batch}`;
  return `jupyter-dsl-runs-table-${encodeURIComponent(source.path)}${batch}`;
}

/** A new tab with the table of `source`; it fetches the runs at once and keeps them current. */
export function createRunsTable(
  api: RunsTableApi,
  source: IRunsTableSource,
  openNotebook: (id: string) => void
): MainAreaWidget<RunsTableWidget> {
  const model = new RunsTableModel(api, source);
  const widget = new MainAreaWidget({
    content: new RunsTableWidget(model, openNotebook)
  });
  const name = source.path.split('/').pop() ?? source.path;
  widget.id = runsTableId(source);
  widget.title.label =
    source.batch === null ? `Runs: ${name}` : `Batch ${source.batch}`;
  widget.title.caption =
    source.batch === null
      ? `The recorded runs of ${source.path}`
      : `The runs of batch ${source.batch} of ${source.path}`;
  widget.title.icon = tableRowsIcon;
  widget.title.closable = true;
  void model.refreshRuns();
  return widget;
}
