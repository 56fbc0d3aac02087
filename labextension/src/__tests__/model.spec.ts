/**
 * The document-model side of linking, on a real JupyterLab `NotebookModel`: a link is set and
 * removed through the model's metadata only, the document becomes dirty, and cells (with their
 * unsaved edits) and other metadata stay as they were.
 */
import { NotebookModel } from '@jupyterlab/notebook/lib/model';
import { KernelMessage } from '@jupyterlab/services';

import { linkActionOf } from '../kernelbridge';
import { LINK_MIME_TYPE, METADATA_KEY, parseLink } from '../link';
import { applyLink } from '../opennotebook';
import { asApiError } from '../fetched';
import { LINK } from './samples';

function loadedModel(): NotebookModel {
  const model = new NotebookModel();
  model.fromJSON({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
      tags: ['keep-me']
    },
    cells: [
      { cell_type: 'markdown', id: 'intro', metadata: {}, source: '# Churn' },
      {
        cell_type: 'code',
        id: 'load',
        metadata: { tags: ['parameters'] },
        source: 'region = "north"',
        execution_count: null,
        outputs: []
      }
    ]
  });
  model.dirty = false;
  return model;
}

describe('applyLink on a real notebook model', () => {
  it('sets metadata.jupyter_dsl, dirties the document and keeps every cell and key', () => {
    const model = loadedModel();
    model.sharedModel.getCell(1).setSource('region = "south"  # unsaved edit');
    const before = model.toJSON();
    model.dirty = false;

    applyLink(model, LINK);

    expect(model.dirty).toBe(true);
    expect(model.getMetadata(METADATA_KEY)).toEqual(LINK);
    expect(parseLink(model.getMetadata(METADATA_KEY))).toEqual({
      kind: 'linked',
      link: LINK
    });
    const after = model.toJSON();
    expect(after.cells).toEqual(before.cells);
    expect(after.cells[1].source).toBe('region = "south"  # unsaved edit');
    expect({ ...after.metadata, [METADATA_KEY]: undefined }).toEqual({
      ...before.metadata,
      [METADATA_KEY]: undefined
    });
  });

  it('replaces a previous link and removes it again, leaving the rest', () => {
    const model = loadedModel();
    const original = model.toJSON().metadata;
    applyLink(model, LINK);
    const other = { ...LINK, issue: { ...LINK.issue, number: 5, title: 'Other' } };
    applyLink(model, other);
    expect(model.getMetadata(METADATA_KEY)).toEqual(other);

    applyLink(model, null);
    expect(model.getMetadata(METADATA_KEY)).toBeUndefined();
    expect(model.toJSON().metadata).toEqual(original);
    expect(original).toMatchObject({ tags: ['keep-me'] });
  });

  it('does not dirty a notebook that has no link when asked to unlink', () => {
    const model = loadedModel();
    applyLink(model, null);
    expect(model.dirty).toBe(false);
  });

  it('emits metadataChanged, which the sidebar model listens to', () => {
    const model = loadedModel();
    const keys: string[] = [];
    model.metadataChanged.connect((_, change) => keys.push(change.key));
    applyLink(model, LINK);
    applyLink(model, null);
    expect(keys).toEqual([METADATA_KEY, METADATA_KEY]);
  });
});

describe('kernel messages', () => {
  const session = 'session-id';

  function display(data: Record<string, unknown>): KernelMessage.IMessage {
    return KernelMessage.createMessage({
      channel: 'iopub',
      msgType: 'display_data',
      session,
      content: { data: data as never, metadata: {} }
    });
  }

  it('reads a link action from display_data and execute_result', () => {
    const bundle = { action: 'link', link: LINK };
    expect(
      linkActionOf(display({ [LINK_MIME_TYPE]: bundle, 'text/plain': 'x' }))
    ).toEqual(bundle);
    const result = KernelMessage.createMessage({
      channel: 'iopub',
      msgType: 'execute_result',
      session,
      content: {
        data: { [LINK_MIME_TYPE]: { action: 'unlink', link: null } } as never,
        metadata: {},
        execution_count: 3
      }
    });
    expect(linkActionOf(result)).toEqual({ action: 'unlink', link: null });
  });

  it('ignores other messages and other MIME types', () => {
    expect(linkActionOf(display({ 'text/plain': 'hello' }))).toBeNull();
    expect(linkActionOf(display({ [LINK_MIME_TYPE]: { action: 'link' } }))).toBeNull();
    const stream = KernelMessage.createMessage({
      channel: 'iopub',
      msgType: 'stream',
      session,
      content: { name: 'stdout', text: JSON.stringify({ action: 'unlink' }) }
    });
    expect(linkActionOf(stream)).toBeNull();
  });
});

describe('asApiError', () => {
  it('keeps the message of any thrown value', () => {
    expect(asApiError(new Error('boom'))).toMatchObject({ status: 0, message: 'boom' });
    expect(asApiError('plain')).toMatchObject({
      status: 0,
      message: 'plain',
      hint: null
    });
  });
});
