/**
 * Kernel to front end: `%dsl link N` / `%dsl unlink` display a bundle of MIME type
 * `application/vnd.jupyter-dsl.link+json`; this applies it to the document model of the
 * notebook whose kernel sent it, so saving from the editor keeps the link.
 */
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { Kernel, KernelMessage } from '@jupyterlab/services';

import { LINK_MIME_TYPE, LinkAction, parseLinkAction } from './link';
import { applyLink } from './model';

/** The link action a kernel message carries, or null when it carries none. */
export function linkActionOf(msg: KernelMessage.IMessage): LinkAction | null {
  if (!KernelMessage.isDisplayDataMsg(msg) && !KernelMessage.isExecuteResultMsg(msg)) {
    return null;
  }
  const data = msg.content.data;
  return LINK_MIME_TYPE in data ? parseLinkAction(data[LINK_MIME_TYPE]) : null;
}

/** The comm target `%load_ext jupyter_dsl` says hello on (see jupyter_dsl/magics/frontend.py). */
export const COMM_TARGET = 'jupyter_dsl';

/**
 * Answer the kernel's hello, so that its magics apply links to this open document (through the
 * bundle above) instead of writing the file behind the editor's back.
 */
export function answerHello(kernel: Kernel.IKernelConnection): void {
  if (kernel.isDisposed) {
    return;
  }
  kernel.registerCommTarget(COMM_TARGET, comm => {
    void comm.send({ frontend: 'jupyterlab' });
  });
}

function watch(panel: NotebookPanel): void {
  const current = panel.sessionContext.session?.kernel;
  if (current) {
    answerHello(current);
  }
  panel.sessionContext.kernelChanged.connect((_, change) => {
    if (change.newValue) {
      answerHello(change.newValue);
    }
  });
  panel.sessionContext.iopubMessage.connect((_, msg) => {
    const action = linkActionOf(msg);
    if (action !== null && !panel.isDisposed) {
      applyLink(panel.context.model, action.link);
    }
  });
}

/** Watch the kernel of every notebook, open now or later. */
export function watchKernelLinks(tracker: INotebookTracker): void {
  tracker.forEach(watch);
  tracker.widgetAdded.connect((_, panel) => watch(panel));
}
