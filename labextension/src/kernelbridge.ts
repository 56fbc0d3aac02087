/**
 * Kernel to front end: `%load_ext jupyter_dsl` opens a comm (the hello); we answer it, and the
 * kernel's `%dsl link N` / `%dsl unlink` then send their edit over that comm, which we apply to
 * the document model of the notebook whose kernel sent it, so saving from the editor keeps the
 * link. They also display a bundle of MIME type `application/vnd.jupyter-dsl.link+json` (the
 * cell's output); that is not applied: when no front end answered, the kernel wrote the file.
 */
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { Kernel, KernelMessage } from '@jupyterlab/services';

import { LINK_MIME_TYPE, LinkAction, parseLinkAction } from './link';
import { applyLink } from './opennotebook';

/** The link action a kernel's display message carries, or null when it carries none. */
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
 * Answer the kernel's hello, so that its magics send link edits to this open document (`apply`)
 * instead of writing the file behind the editor's back.
 */
export function answerHello(
  kernel: Kernel.IKernelConnection,
  apply: (action: LinkAction) => void
): void {
  if (kernel.isDisposed) {
    return;
  }
  kernel.registerCommTarget(COMM_TARGET, comm => {
    comm.onMsg = msg => {
      const action = parseLinkAction(msg.content.data);
      if (action !== null) {
        apply(action);
      }
    };
    void comm.send({ frontend: 'jupyterlab' });
  });
}

function watch(panel: NotebookPanel): void {
  const apply = (action: LinkAction): void => {
    if (!panel.isDisposed) {
      applyLink(panel.context.model, action.link);
    }
  };
  const current = panel.sessionContext.session?.kernel;
  if (current) {
    answerHello(current, apply);
  }
  panel.sessionContext.kernelChanged.connect((_, change) => {
    if (change.newValue) {
      answerHello(change.newValue, apply);
    }
  });
}

/** Watch the kernel of every notebook, open now or later. */
export function watchKernelLinks(tracker: INotebookTracker): void {
  tracker.forEach(watch);
  tracker.widgetAdded.connect((_, panel) => watch(panel));
}
