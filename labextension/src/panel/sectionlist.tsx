/**
 * The sections of the Lifecycle sidebar, top to bottom. A new section is one component file and
 * one line here.
 */
import React from 'react';

import { useSignal } from './common';
import { ISectionSpec, ISidebarContext } from './context';
import { FindingsSection } from './FindingsSection';
import { IssueSection } from './IssueSection';
import { ParametersSection } from './ParametersSection';
import { RunsSection } from './RunsView';

/** The Runs section over the model (its table and run details live in RunsView.tsx). */
function RunsOfNotebook(props: { context: ISidebarContext }): JSX.Element | null {
  const { model, actions } = props.context;
  useSignal(model.changed);
  const path = model.path;
  if (path === null) {
    return null;
  }
  return (
    <RunsSection
      path={path}
      runs={model.runs}
      loading={model.runsLoading}
      onRefresh={() => void model.refreshRuns()}
      selection={{
        selected: model.selectedRun,
        run: model.run,
        loading: model.runLoading,
        onSelect: id => void model.selectRun(id),
        onOpenNotebook: actions.openRunNotebook
      }}
    />
  );
}

export const SECTIONS: ISectionSpec[] = [
  { id: 'issue', label: 'Issue', needsNotebook: false, component: IssueSection },
  {
    id: 'parameters',
    label: 'Parameters',
    needsNotebook: true,
    component: ParametersSection
  },
  { id: 'runs', label: 'Runs', needsNotebook: true, component: RunsOfNotebook },
  { id: 'findings', label: 'Findings', needsNotebook: true, component: FindingsSection }
];
