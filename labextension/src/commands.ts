/**
 * The commands of the Lifecycle sidebar: one per action, all in the command palette. The notebook
 * toolbar and the cell context menu carry "Make this the parameters cell".
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { InputDialog, showErrorMessage } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';

import { tellFollowUp } from './branchfollow';
import { FindingsModel, Outcome } from './findingsmodel';
import { lifecycleIcon } from './icon';
import { DslModel } from './model';
import { asApiError } from './fetched';
import { makeParametersCell } from './paramcell';
import { ParamsFormModel } from './paramsform';
import { ISidebarActions } from './panel/context';
import { confirmAndComplete } from './panel/FindingsSection';
import { linkQuestion, trackerKindOf } from './panel/outward';
import { SIDEBAR_ID } from './panel/Sidebar';

export namespace CommandIDs {
  export const openSidebar = 'jupyter-dsl:open-sidebar';
  export const link = 'jupyter-dsl:link';
  export const unlink = 'jupyter-dsl:unlink';
  export const newIssue = 'jupyter-dsl:new-issue';
  export const refresh = 'jupyter-dsl:refresh';
  export const switchBranch = 'jupyter-dsl:switch-branch';
  export const makeParametersCell = 'jupyter-dsl:make-parameters-cell';
  export const run = 'jupyter-dsl:run';
  export const addGoal = 'jupyter-dsl:add-goal';
  export const complete = 'jupyter-dsl:complete';
  export const openRunsTable = 'jupyter-dsl:open-runs-table'; // runstable/plugin.ts
}

export function showError(title: string, error: unknown): void {
  const e = asApiError(error);
  void showErrorMessage(title, e.hint ? `${e.message}\n\n${e.hint}` : e.message);
}

export interface ICommandModels {
  model: DslModel;
  form: ParamsFormModel;
  findings: FindingsModel;
  actions: ISidebarActions;
}

/** Tag the active cell of the current notebook `parameters`, through its document model. */
export function makeActiveCellParameters(tracker: INotebookTracker): void {
  const panel = tracker.currentWidget;
  if (panel === null) {
    showError('Could not make the parameters cell', new Error('no notebook is active'));
    return;
  }
  try {
    makeParametersCell(panel.context.model, panel.content.activeCellIndex);
  } catch (error) {
    showError('Could not make the parameters cell', error);
  }
}

function linkedType(model: DslModel): string | null {
  return model.link.kind === 'linked' ? model.link.link.issue.type : null;
}

export function addCommands(
  app: JupyterFrontEnd,
  tracker: INotebookTracker,
  models: ICommandModels
): void {
  const { commands, shell } = app;
  const { model, form, findings, actions } = models;
  const hasNotebook = (): boolean => model.panel !== null;
  const linked = (): boolean => hasNotebook() && model.link.kind === 'linked';

  commands.addCommand(CommandIDs.openSidebar, {
    label: 'Open the Lifecycle Sidebar',
    caption: "Show the active notebook's DSLP issue",
    icon: lifecycleIcon,
    execute: () => shell.activateById(SIDEBAR_ID)
  });
  commands.addCommand(CommandIDs.link, {
    label: 'Link Notebook to Issue…',
    caption: 'Link the active notebook to a DSLP issue by number',
    isEnabled: hasNotebook,
    execute: async args => {
      let number = typeof args.number === 'number' ? args.number : null;
      if (number === null) {
        const answer = await InputDialog.getNumber({ title: 'Link to issue number' });
        if (!answer.button.accept || answer.value === null) {
          return;
        }
        number = answer.value;
      }
      try {
        const question = linkQuestion(await trackerKindOf(model), number);
        if (question === null || (await actions.confirm(question))) {
          await model.linkTo(number);
        }
      } catch (error) {
        showError('Could not link the notebook', error);
      }
    }
  });
  commands.addCommand(CommandIDs.unlink, {
    label: 'Unlink Notebook from its Issue',
    isEnabled: () => hasNotebook() && model.link.kind !== 'none',
    execute: () => {
      try {
        model.unlink();
      } catch (error) {
        showError('Could not unlink the notebook', error);
      }
    }
  });
  commands.addCommand(CommandIDs.newIssue, {
    label: 'New DSLP Issue for this Notebook…',
    isEnabled: hasNotebook,
    execute: () => {
      shell.activateById(SIDEBAR_ID);
      model.requestNewIssue();
    }
  });
  commands.addCommand(CommandIDs.refresh, {
    label: 'Refresh the Lifecycle Sidebar',
    isEnabled: hasNotebook,
    execute: () => model.refresh()
  });
  commands.addCommand(CommandIDs.switchBranch, {
    label: "Switch to the Notebook's DSLP Branch",
    caption: 'git switch to the branch of the linked issue (created when missing)',
    isEnabled: linked,
    execute: async () => {
      const ok = await actions.confirm({
        title: 'Switch git branch',
        body: "Switch the project's git repository to this notebook's DSLP branch (made from the base branch when it does not exist)?",
        accept: 'Switch'
      });
      if (!ok) {
        return;
      }
      try {
        const result = await model.switchBranch();
        if (result.stash_note) {
          void showErrorMessage('Switched, with stashed changes', result.stash_note);
        }
        tellFollowUp(result, actions);
      } catch (error) {
        showError('Could not switch the branch', error);
      }
    }
  });
  commands.addCommand(CommandIDs.makeParametersCell, {
    label: 'Make this the Parameters Cell',
    caption:
      'Tag the active cell `parameters` (papermill); the tag leaves any other cell',
    icon: lifecycleIcon,
    isEnabled: () =>
      tracker.currentWidget !== null &&
      tracker.currentWidget.content.activeCell?.model.type === 'code',
    execute: () => makeActiveCellParameters(tracker)
  });
  commands.addCommand(CommandIDs.run, {
    label: 'Run the Notebook with the Sidebar’s Parameters',
    caption: 'One recorded run of the saved notebook, started by the server',
    isEnabled: hasNotebook,
    execute: async () => {
      try {
        await form.run();
        shell.activateById(SIDEBAR_ID);
      } catch (error) {
        showError('Could not start the run', error);
      }
    }
  });
  commands.addCommand(CommandIDs.addGoal, {
    label: 'Add a Goal to the Exploration…',
    isEnabled: () => linked() && linkedType(model) === 'Explore',
    execute: async () => {
      const answer = await InputDialog.getText({
        title: 'A question this exploration answers'
      });
      if (!answer.button.accept || !answer.value) {
        return;
      }
      try {
        await findings.addGoal(answer.value);
      } catch (error) {
        showError('Could not add the goal', error);
      }
    }
  });
  commands.addCommand(CommandIDs.complete, {
    label: () =>
      linkedType(model) === 'Experiment'
        ? 'Record the Experiment Outcome…'
        : 'Mark the Exploration Complete…',
    isEnabled: () =>
      linked() && ['Explore', 'Experiment'].includes(linkedType(model) ?? ''),
    execute: async () => {
      let outcome: Outcome | undefined;
      if (linkedType(model) === 'Experiment') {
        const answer = await InputDialog.getItem({
          title: 'The outcome of the experiment',
          items: ['succeeded', 'failed']
        });
        if (!answer.button.accept || !answer.value) {
          return;
        }
        outcome = answer.value === 'failed' ? 'failed' : 'succeeded';
      }
      try {
        shell.activateById(SIDEBAR_ID);
        await confirmAndComplete(findings, actions.confirm, outcome);
      } catch (error) {
        showError('Could not complete the issue', error);
      }
    }
  });
  model.changed.connect(() => commands.notifyCommandChanged());
  tracker.activeCellChanged.connect(() =>
    commands.notifyCommandChanged(CommandIDs.makeParametersCell)
  );
}
