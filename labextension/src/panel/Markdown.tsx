/**
 * An issue body rendered as SANITIZED markdown: the rendermime registry's markdown renderer
 * with an untrusted model, so its HTML sanitizer runs (issue text is never set as raw HTML).
 */
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import React from 'react';

export const MARKDOWN_MIME_TYPE = 'text/markdown';

export function Markdown(props: {
  source: string;
  rendermime: IRenderMimeRegistry;
}): JSX.Element {
  const { source, rendermime } = props;
  const host = React.useRef<HTMLDivElement>(null);
  React.useEffect(() => {
    const node = host.current;
    if (node === null) {
      return;
    }
    const renderer = rendermime.createRenderer(MARKDOWN_MIME_TYPE);
    const model = rendermime.createModel({
      data: { [MARKDOWN_MIME_TYPE]: source },
      trusted: false
    });
    // Not Widget.attach: React owns `node` and may remove it before this effect is cleaned up.
    node.appendChild(renderer.node);
    void renderer.renderModel(model);
    return () => {
      renderer.dispose();
      node.textContent = '';
    };
  }, [source, rendermime]);
  return <div ref={host} className="jp-dsl-body" data-testid="dsl-issue-body" />;
}
