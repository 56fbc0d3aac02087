/**
 * The sections of the Lifecycle sidebar, top to bottom. A new section is one component file and
 * one line here.
 */
import React from 'react';

import { BatchSection, useBatchModel } from './BatchSection';
import { useSignal } from './common';
import { ISectionSpec, ISidebarContext } from './context';
import { FindingsSection } from './FindingsSection';
import { IssueSection } from './IssueSection';
import { ParametersSection } from './ParametersSection';
import { RunsPanel } from './RunsPanel';

/** The Runs section over the model (table, details, rerun, chart; refreshed when runs change). */
function RunsOfNotebook(props: { context: ISidebarContext }): JSX.Element | null {
  const { model, actions } = props.context;
  useSignal(model.changed);
  const path = model.path;
  if (path === null) {
    return null;
  }
  return (
    <RunsPanel
      model={model}
      path={path}
      onOpenRunNotebook={actions.openRunNotebook}
      onOpenInMainArea={() => actions.openRunsTable(path)}
    />
  );
}

/** The Batch section: a grid of parameter sets run in fresh kernels, with live progress. */
function BatchOfNotebook(props: { context: ISidebarContext }): JSX.Element | null {
  const { model, form, actions, settings } = props.context;
  useSignal(model.changed);
  useSignal(form.changed); // the grid files come with the config files
  const batches = useBatchModel(model);
  const path = model.path;
  if (path === null) {
    return null;
  }
  return (
    <BatchSection
      batches={batches}
      path={path}
      params={model.params}
      onOpenRun={actions.openRunNotebook}
      onOpenTable={batch => actions.openRunsTable(path, batch)}
      gridFiles={form.gridFiles}
      onEditFile={actions.openFile}
      confirm={actions.confirm}
      defaultWorkers={settings.value.defaultWorkers}
    />
  );
}

export const SECTIONS: ISectionSpec[] = [
  {
    id: 'issue',
    label: 'Issue',
    needsNotebook: false,
    needsProject: true,
    component: IssueSection
  },
  {
    id: 'parameters',
    label: 'Parameters',
    needsNotebook: true,
    needsProject: false,
    component: ParametersSection
  },
  {
    id: 'runs',
    label: 'Runs',
    needsNotebook: true,
    needsProject: true,
    component: RunsOfNotebook
  },
  {
    id: 'batch',
    label: 'Batch',
    needsNotebook: true,
    needsProject: true,
    component: BatchOfNotebook
  },
  {
    id: 'findings',
    label: 'Findings',
    needsNotebook: true,
    needsProject: true,
    component: FindingsSection
  }
];
