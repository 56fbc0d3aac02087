/**
 * After a branch switch, the open notebooks whose file the switch changed on disk: one with no
 * unsaved changes is reverted (it then shows the branch's version); one with unsaved changes is
 * left as it is and named, so its user decides; one whose file the branch does not have is named.
 * A notebook is changed when the file's `last_modified` on disk is no longer the one its editor
 * last read or wrote.
 */
import { INotebookTracker } from '@jupyterlab/notebook';
import { Contents, ServerConnection } from '@jupyterlab/services';

import { ISidebarActions } from './panel/context';
import { BranchSwitch } from './wire';

/** A branch switch's answer, and what it did to the open notebooks (null: not looked at). */
export interface ISwitched extends BranchSwitch {
  followUp: ISwitchFollowUp | null;
}

/** An open document, as far as a branch switch concerns it. */
export interface IOpenDocument {
  /** Its path for the contents API. */
  readonly path: string;
  /** Its API path, as the sidebar names it. */
  readonly name: string;
  readonly dirty: boolean;
  /** The `last_modified` of the file when the editor last read or wrote it, or null. */
  readonly lastModified: string | null;
  revert(): Promise<void>;
}

/** The file's `last_modified` on disk now, or null when there is no such file. */
export type DiskModified = (path: string) => Promise<string | null>;

export interface ISwitchFollowUp {
  /** Reverted: they show the branch's version now. */
  reverted: string[];
  /** Changed on disk, with unsaved changes in the editor: left as they are. */
  unsaved: string[];
  /** Not on the branch: the editor still shows them. */
  gone: string[];
  /** Could not be checked or reverted, with why. */
  failed: { name: string; reason: string }[];
}

/** Revert the unmodified documents whose file changed; name the others. */
export async function followSwitch(
  open: IOpenDocument[],
  disk: DiskModified
): Promise<ISwitchFollowUp> {
  const result: ISwitchFollowUp = { reverted: [], unsaved: [], gone: [], failed: [] };
  await Promise.all(
    open.map(async doc => {
      try {
        const now = await disk(doc.path);
        if (now === null) {
          result.gone.push(doc.name);
        } else if (now !== doc.lastModified) {
          if (doc.dirty) {
            result.unsaved.push(doc.name);
          } else {
            await doc.revert();
            result.reverted.push(doc.name);
          }
        }
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        result.failed.push({ name: doc.name, reason });
      }
    })
  );
  for (const list of [result.reverted, result.unsaved, result.gone]) {
    list.sort();
  }
  return result;
}

/** The open notebooks of `tracker` (one entry per document, however many views it has). */
export function openNotebooks(tracker: INotebookTracker): IOpenDocument[] {
  const seen = new Set<unknown>();
  const docs: IOpenDocument[] = [];
  tracker.forEach(panel => {
    const context = panel.context;
    if (seen.has(context) || context.isDisposed || !context.isReady) {
      return;
    }
    seen.add(context);
    docs.push({
      path: context.path,
      name: context.localPath,
      dirty: context.model.dirty,
      lastModified: context.contentsModel?.last_modified ?? null,
      revert: () => context.revert()
    });
  });
  return docs;
}

/** `last_modified` on disk through the contents API (null for a missing file). */
export function diskModifiedBy(contents: Contents.IManager): DiskModified {
  return async path => {
    try {
      return (await contents.get(path, { content: false })).last_modified;
    } catch (error) {
      if (
        error instanceof ServerConnection.ResponseError &&
        error.response.status === 404
      ) {
        return null;
      }
      throw error;
    }
  };
}

/** What to tell the user: a note for the reverted notebooks, a warning for each other one. */
export function followUpNotes(
  result: ISwitchFollowUp,
  branch: string
): { warning: boolean; message: string }[] {
  const notes: { warning: boolean; message: string }[] = [];
  if (result.reverted.length > 0) {
    notes.push({
      warning: false,
      message: `Switched to ${branch}: reloaded ${result.reverted.join(', ')} from disk (the branch's version).`
    });
  }
  for (const name of result.unsaved) {
    notes.push({
      warning: true,
      message: `${name} has unsaved changes and the switch to ${branch} changed its file on disk: the editor still shows your version. Save it to keep yours on ${branch}, or reload it from disk (File > Reload Notebook from Disk) to see the branch's.`
    });
  }
  for (const name of result.gone) {
    notes.push({
      warning: true,
      message: `${name} is not on ${branch}: the editor still shows it, and saving it writes it on ${branch}.`
    });
  }
  for (const { name, reason } of result.failed) {
    notes.push({
      warning: true,
      message: `Could not reload ${name} after the switch to ${branch}: ${reason}`
    });
  }
  return notes;
}

/** Tell the user what a switch did to the open notebooks (JupyterLab's notifications). */
export function tellFollowUp(
  switched: ISwitched,
  actions: Pick<ISidebarActions, 'notify' | 'warn'>
): void {
  if (switched.followUp === null) {
    return;
  }
  for (const note of followUpNotes(switched.followUp, switched.branch)) {
    if (note.warning) {
      actions.warn(note.message);
    } else {
      actions.notify(note.message);
    }
  }
}
