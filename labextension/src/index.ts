/**
 * jupyter-dsl's JupyterLab extension: the Lifecycle sidebar, the status bar item, the commands
 * (palette, notebook toolbar, cell context menu), the settings, and the bridge that applies
 * `%dsl link` / `%dsl unlink` from a kernel to its notebook.
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  Dialog,
  ICommandPalette,
  MainAreaWidget,
  Notification,
  showDialog,
  WidgetTracker
} from '@jupyterlab/apputils';
import { IEditorServices } from '@jupyterlab/codeeditor';
import { INotebookTracker } from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStatusBar } from '@jupyterlab/statusbar';
import { CommandToolbarButton } from '@jupyterlab/ui-components';

import { DslApi, isRunId } from './api';
import { diskModifiedBy } from './branchfollow';
import { addCommands, CommandIDs, showError } from './commands';
import { FindingsModel } from './findingsmodel';
import { watchKernelLinks } from './kernelbridge';
import { DslModel } from './model';
import { ParamsFormModel } from './paramsform';
import { IConfirmOptions, ISidebarActions, ISidebarContext } from './panel/context';
import {
  createRunNotebook,
  ReadOnlyNotebook,
  runNotebookId
} from './panel/RunNotebook';
import { LifecycleSidebar, SIDEBAR_ID } from './panel/Sidebar';
import { RunsRefresher } from './runswatch';
import { addRunsTableCommand } from './runstable/plugin';
import { readSettings, SidebarSettings } from './settings';
import { LinkStatusItem } from './statusbar';
import { addStoryCommand, askOfLink, OPEN_STORY } from './story/storypanel';

export { CommandIDs } from './commands';

/** Not in the palette: it needs a run id (the sidebar's run details call it). */
export const OPEN_RUN_NOTEBOOK = 'jupyter-dsl:open-run-notebook';

const PLUGIN_ID = 'jupyter-dsl:plugin';
const CATEGORY = 'Data Science Lifecycle';

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

async function confirm(options: IConfirmOptions): Promise<boolean> {
  const result = await showDialog({
    title: options.title,
    body: options.body,
    buttons: [
      Dialog.cancelButton(),
      options.warn
        ? Dialog.warnButton({ label: options.accept })
        : Dialog.okButton({ label: options.accept })
    ]
  });
  return result.button.accept;
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'The Lifecycle sidebar: the active notebook’s DSLP issue, parameters, runs and findings.',
  autoStart: true,
  requires: [INotebookTracker, IRenderMimeRegistry, IEditorServices],
  optional: [ICommandPalette, IStatusBar, ILayoutRestorer, ISettingRegistry],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    rendermime: IRenderMimeRegistry,
    editorServices: IEditorServices,
    palette: ICommandPalette | null,
    statusBar: IStatusBar | null,
    restorer: ILayoutRestorer | null,
    settingRegistry: ISettingRegistry | null
  ): void => {
    // The application's server settings: its base URL, token and XSRF handling.
    const api = new DslApi(app.serviceManager.serverSettings);
    const model = new DslModel(
      tracker,
      api,
      diskModifiedBy(app.serviceManager.contents)
    );
    const settings = new SidebarSettings();
    const form = new ParamsFormModel(model);
    const findings = new FindingsModel(model, settings.value.findingsFormat);
    settings.changed.connect(() => {
      findings.format = settings.value.findingsFormat;
    });
    const actions: ISidebarActions = {
      openRunNotebook: id =>
        void app.commands.execute(OPEN_RUN_NOTEBOOK, {
          id,
          path: model.path ?? undefined
        }),
      openFile: path => void app.commands.execute('docmanager:open', { path }),
      openRunsTable: (path, batch) =>
        void app.commands.execute(CommandIDs.openRunsTable, {
          path,
          batch: batch ?? ''
        }),
      openStory: number =>
        void app.commands.execute(OPEN_STORY, { number, path: model.path ?? '' }),
      confirm,
      makeParametersCell: () =>
        void app.commands.execute(CommandIDs.makeParametersCell),
      notify: message => void Notification.success(message, { autoClose: 8000 }),
      warn: message => void Notification.warning(message, { autoClose: false })
    };
    const context: ISidebarContext = {
      model,
      form,
      findings,
      rendermime,
      actions,
      settings
    };
    const sidebar = new LifecycleSidebar(context);
    app.shell.add(sidebar, 'right', { rank: 600 });
    if (restorer) {
      restorer.add(sidebar, SIDEBAR_ID);
    }
    watchKernelLinks(tracker);
    addCommands(app, tracker, { model, form, findings, actions });
    addRunNotebookCommand(app, model, rendermime, editorServices);
    addRunsTableCommand(app, model, restorer, (id, path) => {
      void app.commands.execute(OPEN_RUN_NOTEBOOK, { id, path });
    });
    addStoryCommand(app, {
      api,
      rendermime,
      current: () => ({ path: model.path, ask: askOfLink(model.link) }),
      openRunNotebook: (id, path) =>
        void app.commands.execute(OPEN_RUN_NOTEBOOK, { id, path })
    });
    tracker.widgetAdded.connect((_, panel) => {
      panel.toolbar.insertAfter(
        'cellType',
        'jupyter-dsl-parameters-cell',
        new CommandToolbarButton({
          commands: app.commands,
          id: CommandIDs.makeParametersCell,
          label: ''
        })
      );
    });
    app.contextMenu.addItem({
      command: CommandIDs.makeParametersCell,
      selector: '.jp-Notebook .jp-CodeCell',
      rank: 30
    });
    if (palette) {
      for (const command of Object.values(CommandIDs)) {
        palette.addItem({ command, category: CATEGORY });
      }
      palette.addItem({ command: OPEN_STORY, category: CATEGORY });
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
    if (settingRegistry) {
      settingRegistry
        .load(PLUGIN_ID)
        .then(loaded => {
          const update = (): void => settings.update(readSettings(loaded.composite));
          loaded.changed.connect(update);
          update();
        })
        .catch(error =>
          showError('Could not load the Lifecycle sidebar settings', error)
        );
    }
    new RunsRefresher(model, settings); // for the application's life
  }
};

export default plugin;
