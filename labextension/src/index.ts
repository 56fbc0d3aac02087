/**
 * jupyter-dsl's JupyterLab extension: the Lifecycle sidebar, the status bar item, the commands,
 * and the bridge that applies `%dsl link` / `%dsl unlink` from a kernel to its notebook.
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  InputDialog,
  MainAreaWidget,
  showErrorMessage,
  WidgetTracker
} from '@jupyterlab/apputils';
import { IEditorServices } from '@jupyterlab/codeeditor';
import { INotebookTracker } from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { IStatusBar } from '@jupyterlab/statusbar';

import { DslApi, isRunId } from './api';
import { lifecycleIcon } from './icon';
import { watchKernelLinks } from './kernelbridge';
import { asApiError, DslModel } from './model';
import {
  createRunNotebook,
  ReadOnlyNotebook,
  runNotebookId
} from './panel/RunNotebook';
import { LifecycleSidebar, SIDEBAR_ID } from './panel/Sidebar';
import { LinkStatusItem } from './statusbar';

export namespace CommandIDs {
  export const openSidebar = 'jupyter-dsl:open-sidebar';
  export const link = 'jupyter-dsl:link';
  export const unlink = 'jupyter-dsl:unlink';
  export const newIssue = 'jupyter-dsl:new-issue';
  export const refresh = 'jupyter-dsl:refresh';
}

/** Not in the palette: it needs a run id (the sidebar's run details call it). */
export const OPEN_RUN_NOTEBOOK = 'jupyter-dsl:open-run-notebook';

const CATEGORY = 'Data Science Lifecycle';

function showError(title: string, error: unknown): void {
  const e = asApiError(error);
  void showErrorMessage(title, e.hint ? `${e.message}\n\n${e.hint}` : e.message);
}

/** `OPEN_RUN_NOTEBOOK {id, path?}`: the run's output notebook in a read-only tab (one per run). */
function addRunNotebookCommand(
  app: JupyterFrontEnd,
  model: DslModel,
  rendermime: IRenderMimeRegistry,
  editorServices: IEditorServices
): void {
  const tracker = new WidgetTracker<MainAreaWidget<ReadOnlyNotebook>>({
    namespace: 'jupyter-dsl-run-notebook'
  });
  app.commands.addCommand(OPEN_RUN_NOTEBOOK, {
    label: 'Open the Output Notebook of a Run (read-only)',
    execute: async args => {
      const id = typeof args.id === 'string' ? args.id : '';
      const path =
        typeof args.path === 'string' ? args.path : (model.path ?? undefined);
      const open = tracker.find(widget => widget.id === runNotebookId(id));
      if (open) {
        app.shell.activateById(open.id);
        return;
      }
      try {
        const content = await model.api.getRunNotebook(id, path);
        const widget = createRunNotebook({
          id,
          name: path?.split('/').pop() ?? 'notebook',
          content,
          rendermime,
          editorServices
        });
        void tracker.add(widget);
        app.shell.add(widget, 'main');
        app.shell.activateById(widget.id);
      } catch (error) {
        showError(
          isRunId(id)
            ? `Could not open the output notebook of run ${id}`
            : 'Could not open the output notebook',
          error
        );
      }
    }
  });
}

function addCommands(app: JupyterFrontEnd, model: DslModel): void {
  const { commands, shell } = app;
  const hasNotebook = (): boolean => model.panel !== null;

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
  requires: [INotebookTracker, IRenderMimeRegistry, IEditorServices],
  optional: [ICommandPalette, IStatusBar, ILayoutRestorer],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    rendermime: IRenderMimeRegistry,
    editorServices: IEditorServices,
    palette: ICommandPalette | null,
    statusBar: IStatusBar | null,
    restorer: ILayoutRestorer | null
  ): void => {
    const model = new DslModel(tracker, new DslApi());
    const sidebar = new LifecycleSidebar(model, rendermime, id => {
      void app.commands.execute(OPEN_RUN_NOTEBOOK, {
        id,
        path: model.path ?? undefined
      });
    });
    app.shell.add(sidebar, 'right', { rank: 600 });
    if (restorer) {
      restorer.add(sidebar, SIDEBAR_ID);
    }
    watchKernelLinks(tracker);
    addCommands(app, model);
    addRunNotebookCommand(app, model, rendermime, editorServices);
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
