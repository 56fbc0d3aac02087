/**
 * A renderer for the kernel's link bundle (`%dsl link N` / `%dsl unlink`): one line of text
 * instead of raw JSON. Applying the link to the notebook is the kernel bridge's job.
 */
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';

import { actionText, LINK_MIME_TYPE, parseLinkAction } from './link';

export class LinkActionRenderer extends Widget implements IRenderMime.IRenderer {
  constructor() {
    super();
    this.addClass('jp-dsl-link-output');
  }

  renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const action = parseLinkAction(model.data[LINK_MIME_TYPE]);
    this.node.textContent = action
      ? actionText(action)
      : 'jupyter-dsl: this link message could not be read.';
    return Promise.resolve();
  }
}

export const rendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [LINK_MIME_TYPE],
  createRenderer: () => new LinkActionRenderer()
};

const extension: IRenderMime.IExtension = {
  id: 'jupyter-dsl:link-renderer',
  description: 'Renders the notebook-link messages of the %dsl magics.',
  rendererFactory,
  rank: 60,
  dataType: 'json'
};

export default extension;
