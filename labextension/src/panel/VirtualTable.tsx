/**
 * A windowed table: rows of one fixed height, only those in view (plus a few) are in the DOM, so a
 * table of thousands of runs scrolls without long tasks. Spacer rows above and below keep the
 * scroll height true; the header stays in view (sticky).
 */
import React from 'react';

/** The height of a row in px; the stylesheet gives `.jp-dsl-vrow` the same height. */
export const ROW_HEIGHT = 24;
/** The height of the scrolled area when the layout cannot tell (e.g. not attached yet). */
export const VIEW_HEIGHT = 360;
/** Rows rendered beyond each edge of the view. */
export const OVERSCAN = 10;

/** The rows `[start, end)` to render for a scroll position. */
export function windowOf(
  scrollTop: number,
  viewHeight: number,
  count: number,
  rowHeight = ROW_HEIGHT,
  overscan = OVERSCAN
): { start: number; end: number } {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const shown = Math.ceil(Math.max(viewHeight, rowHeight) / rowHeight) + 1;
  const start = Math.max(0, Math.min(first - overscan, count - shown - overscan));
  const end = Math.min(count, first + shown + overscan);
  return { start: Math.max(0, start), end: Math.max(start, end) };
}

export function VirtualTable(props: {
  count: number;
  /** The `<tr>` of the header. */
  header: JSX.Element;
  /** The `<tr>` of row `index` (give it the class `jp-dsl-vrow`). */
  renderRow: (index: number) => JSX.Element;
  columns: number;
  label: string;
  testid: string;
}): JSX.Element {
  const { count, renderRow, columns } = props;
  const scroller = React.useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = React.useState(0);
  const [viewHeight, setViewHeight] = React.useState(VIEW_HEIGHT);
  React.useEffect(() => {
    const node = scroller.current;
    if (node === null || typeof ResizeObserver === 'undefined') {
      return;
    }
    const observer = new ResizeObserver(() => {
      if (node.clientHeight > 0) {
        setViewHeight(node.clientHeight);
      }
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, []);
  const { start, end } = windowOf(scrollTop, viewHeight, count);
  const rows: JSX.Element[] = [];
  for (let index = start; index < end; index++) {
    rows.push(renderRow(index));
  }
  const spacer = (height: number, key: string): JSX.Element | null =>
    height > 0 ? (
      <tr key={key} aria-hidden="true" className="jp-dsl-vspacer" style={{ height }}>
        <td colSpan={columns} />
      </tr>
    ) : null;
  return (
    <div
      ref={scroller}
      className="jp-dsl-runs-table jp-dsl-vtable"
      tabIndex={0}
      role="region"
      aria-label={`${props.label} (scrollable)`}
      onScroll={event => setScrollTop(event.currentTarget.scrollTop)}
      data-testid={`${props.testid}-scroller`}
    >
      <table
        data-testid={props.testid}
        aria-label={props.label}
        aria-rowcount={count + 1}
      >
        <thead>{props.header}</thead>
        <tbody>
          {spacer(start * ROW_HEIGHT, 'above')}
          {rows}
          {spacer((count - end) * ROW_HEIGHT, 'below')}
        </tbody>
      </table>
    </div>
  );
}
