/**
 * jupyter-dsl's JupyterLab extension: the Lifecycle sidebar, the status bar item, the commands,
 * and the bridge that applies `%dsl link` / `%dsl unlink` from a kernel to its notebook.
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, InputDialog, showErrorMessage } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { IStatusBar } from '@jupyterlab/statusbar';

import { DslApi } from './api';
import { lifecycleIcon } from './icon';
import { watchKernelLinks } from './kernelbridge';
import { asApiError, DslModel } from './model';
import { LifecycleSidebar, SIDEBAR_ID } from './panel/Sidebar';
import { LinkStatusItem } from './statusbar';

export namespace CommandIDs {
  export const openSidebar = 'jupyter-dsl:open-sidebar';
  export const link = 'jupyter-dsl:link';
  export const unlink = 'jupyter-dsl:unlink';
  export const newIssue = 'jupyter-dsl:new-issue';
  export const refresh = 'jupyter-dsl:refresh';
}

const CATEGORY = 'Data Science Lifecycle';

function addCommands(app: JupyterFrontEnd, model: DslModel): void {
  const { commands, shell } = app;
  const hasNotebook = (): boolean => model.panel !== null;
  const showError = (title: string, error: unknown): void => {
    const e = asApiError(error);
    void showErrorMessage(title, e.hint ? `${e.message}\n\n${e.hint}` : e.message);
  };

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
        await model.linkTo(number);
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
  model.changed.connect(() => commands.notifyCommandChanged());
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-dsl:plugin',
  description:
    'The Lifecycle sidebar: the active notebook’s DSLP issue, linking and new issues.',
  autoStart: true,
  requires: [INotebookTracker, IRenderMimeRegistry],
  optional: [ICommandPalette, IStatusBar, ILayoutRestorer],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    rendermime: IRenderMimeRegistry,
    palette: ICommandPalette | null,
    statusBar: IStatusBar | null,
    restorer: ILayoutRestorer | null
  ): void => {
    const model = new DslModel(tracker, new DslApi());
    const sidebar = new LifecycleSidebar(model, rendermime);
    app.shell.add(sidebar, 'right', { rank: 600 });
    if (restorer) {
      restorer.add(sidebar, SIDEBAR_ID);
    }
    watchKernelLinks(tracker);
    addCommands(app, model);
    if (palette) {
      for (const command of Object.values(CommandIDs)) {
        palette.addItem({ command, category: CATEGORY });
      }
    }
    if (statusBar) {
      const item = new LinkStatusItem(model, () =>
        app.commands.execute(CommandIDs.openSidebar)
      );
      statusBar.registerStatusItem('jupyter-dsl:status', {
        item,
        align: 'left',
        rank: 4,
        isActive: () => model.statusText !== '',
        activeStateChanged: model.changed
      });
    }
  }
};

export default plugin;
