/**
 * A run's output notebook in a main-area tab, read-only: JupyterLab's own notebook widget over an
 * in-memory model built from the JSON the server read from the artifact store. It has no file, no
 * context and no kernel, so nothing can save, run or change the artifact; every cell is read-only
 * and untrusted (HTML outputs are sanitized, no script runs).
 */
import { MainAreaWidget } from '@jupyterlab/apputils';
import { IEditorServices } from '@jupyterlab/codeeditor';
import { INotebookContent } from '@jupyterlab/nbformat';
import {
  Notebook,
  NotebookModel,
  NotebookPanel,
  StaticNotebook
} from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { notebookIcon } from '@jupyterlab/ui-components';

/** Events a read-only view ignores: a double-click (it opens a Markdown cell's source) and cell drops. */
const IGNORED_EVENTS = new Set(['dblclick', 'lm-dragenter', 'lm-dragover', 'lm-drop']);

/** The notebook widget, minus the interactions that would edit its in-memory model. */
export class ReadOnlyNotebook extends Notebook {
  handleEvent(event: Event): void {
    if (!IGNORED_EVENTS.has(event.type)) {
      super.handleEvent(event);
    }
  }
}

/** The main-area id of the tab that shows run `id`'s output notebook. */
export function runNotebookId(id: string): string {
  return `jupyter-dsl-run-notebook-${id}`;
}

/** A notebook model of `content`: read-only, every cell untrusted, not dirty. */
export function readOnlyModel(content: INotebookContent): NotebookModel {
  const model = new NotebookModel();
  model.fromJSON(content);
  for (const cell of model.cells) {
    cell.trusted = false; // whatever the file says: its outputs come from code, not from the user
  }
  model.readOnly = true;
  model.dirty = false;
  return model;
}

export function createRunNotebook(options: {
  id: string;
  /** The notebook's name, for the tab's tooltip. */
  name: string;
  content: INotebookContent;
  rendermime: IRenderMimeRegistry;
  editorServices: IEditorServices;
}): MainAreaWidget<ReadOnlyNotebook> {
  const { id, editorServices } = options;
  const model = readOnlyModel(options.content);
  const notebook = new ReadOnlyNotebook({
    rendermime: options.rendermime,
    contentFactory: new NotebookPanel.ContentFactory({
      editorFactory: editorServices.factoryService.newInlineEditor
    }),
    mimeTypeService: editorServices.mimeTypeService,
    notebookConfig: { ...StaticNotebook.defaultNotebookConfig, windowingMode: 'none' }
  });
  notebook.model = model;
  for (const cell of notebook.widgets) {
    cell.readOnly = true;
  }
  notebook.addClass('jp-dsl-run-notebook');
  const widget = new MainAreaWidget({ content: notebook });
  widget.id = runNotebookId(id);
  widget.addClass('jp-dsl-run-notebook-panel');
  widget.title.label = `Run ${id} (read-only)`;
  widget.title.caption = `${options.name}: the output notebook of run ${id}, read-only`;
  widget.title.icon = notebookIcon;
  widget.title.closable = true;
  widget.disposed.connect(() => model.dispose());
  return widget;
}
