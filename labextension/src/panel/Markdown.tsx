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
  /** text/markdown (default) or text/html: both rendered untrusted, so the sanitizer runs. */
  mimeType?: string;
  testid?: string;
}): JSX.Element {
  const { source, rendermime } = props;
  const mimeType = props.mimeType ?? MARKDOWN_MIME_TYPE;
  const host = React.useRef<HTMLDivElement>(null);
  React.useEffect(() => {
    const node = host.current;
    if (node === null) {
      return;
    }
    const renderer = rendermime.createRenderer(mimeType);
    const model = rendermime.createModel({
      data: { [mimeType]: source },
      trusted: false
    });
    // Not Widget.attach: React owns `node` and may remove it before this effect is cleaned up.
    node.appendChild(renderer.node);
    void renderer.renderModel(model);
    return () => {
      renderer.dispose();
      node.textContent = '';
    };
  }, [source, rendermime, mimeType]);
  return (
    <div
      ref={host}
      className="jp-dsl-body"
      data-testid={props.testid ?? 'dsl-issue-body'}
    />
  );
}
