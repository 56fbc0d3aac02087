/**
 * The open notebook as the sidebar's actions use it: there must be one (and it must be saved for
 * what the server reads from the file), and a link is set in its document model, never on disk
 * behind the user's back (the document becomes dirty; saving it keeps the link).
 */
import { INotebookModel, NotebookPanel } from '@jupyterlab/notebook';

import { DslApiError, NotebookLink } from './api';
import { METADATA_KEY } from './link';

/** Set a link on (or, with null, remove it from) an open notebook's document model. */
export function applyLink(model: INotebookModel, link: NotebookLink | null): void {
  if (link === null) {
    if (model.getMetadata(METADATA_KEY) !== undefined) {
      model.deleteMetadata(METADATA_KEY);
    }
    return;
  }
  model.setMetadata(METADATA_KEY, link);
}

/** Set `link` in `panel`'s document, unless the notebook was closed while the server answered. */
export function applyLinkIfOpen(panel: NotebookPanel, link: NotebookLink): void {
  if (panel.isDisposed || panel.context.isDisposed) {
    throw new DslApiError(0, 'the notebook was closed before the link could be set');
  }
  applyLink(panel.context.model, link);
}

/** The open notebook, or an error when none is. */
export function requireOpen(panel: NotebookPanel | null): NotebookPanel {
  if (panel === null) {
    throw new DslApiError(0, 'no notebook is active', 'Open a notebook first.');
  }
  return panel;
}

/** The open notebook, or an error when none is or it has unsaved changes (`what` reads the file). */
export function requireSavedPanel(
  panel: NotebookPanel | null,
  what: string
): NotebookPanel {
  const open = requireOpen(panel);
  if (open.context.model.dirty) {
    throw new DslApiError(
      0,
      `save the notebook first: ${what} uses the saved file`,
      'Save it (Ctrl+S), then try again.'
    );
  }
  return open;
}
