/**
 * Below the main-area runs table: the runs picked to compare side by side (a value that differs
 * between them is marked), and a chart of a chosen metric against a chosen parameter. Every value
 * is data from the run index, rendered as text.
 */
import React from 'react';

import { ChartData, RunSummary } from '../api';
import type { IRunColumn } from '../panel/RunsView';
import { ChartView } from '../panel/RunsChart';
import { IChartAxes } from './model';
import { ICompareRow } from './tabledata';

export function CompareView(props: {
  runs: RunSummary[];
  rows: ICompareRow[];
  onRemove: (id: string) => void;
  onClear: () => void;
}): JSX.Element {
  const { runs, rows } = props;
  const differing = rows.filter(row => row.differs).length;
  return (
    <section className="jp-dsl-rtable-compare" data-testid="dsl-rtable-comparison">
      <h3>
        Compare{' '}
        <span className="jp-dsl-muted" data-testid="dsl-compare-summary">
          {runs.length < 2
            ? 'pick another run to compare with'
            : `${runs.length} runs, ${differing} values differ`}
        </span>
      </h3>
      <table aria-label="Compared runs">
        <thead>
          <tr>
            <th scope="col">Run</th>
            {runs.map(run => (
              <th
                key={run.id}
                scope="col"
                data-testid="dsl-compare-run"
                data-id={run.id}
              >
                <code>{run.id}</code>{' '}
                <button
                  type="button"
                  className="jp-dsl-link-button"
                  aria-label={`Stop comparing run ${run.id}`}
                  onClick={() => props.onRemove(run.id)}
                >
                  ×
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(row => (
            <tr
              key={row.key}
              className={row.differs ? 'jp-dsl-differs' : undefined}
              data-testid="dsl-compare-row"
              data-key={row.key}
              data-differs={row.differs ? 'true' : 'false'}
            >
              <th
                scope="row"
                className={row.kind === 'metric' ? 'jp-dsl-metric' : undefined}
              >
                {row.label}
                {row.differs ? (
                  <span className="jp-dsl-visually-hidden"> (differs)</span>
                ) : null}
              </th>
              {row.texts.map((text, index) => (
                <td key={runs[index].id} data-testid="dsl-compare-value">
                  {text}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <button
        type="button"
        className="jp-mod-styled"
        onClick={props.onClear}
        data-testid="dsl-compare-clear"
      >
        Clear comparison
      </button>
    </section>
  );
}

function AxisPicker(props: {
  label: string;
  value: string;
  names: string[];
  testid: string;
  onChange: (name: string) => void;
}): JSX.Element {
  return (
    <label className="jp-dsl-rtable-axis">
      {props.label}{' '}
      <select
        value={props.value}
        onChange={event => props.onChange(event.currentTarget.value)}
        data-testid={props.testid}
      >
        {props.names.map(name => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A metric (y) against a parameter (x) over the runs shown, both picked from the table's columns. */
export function TableChart(props: {
  columns: IRunColumn[];
  axes: IChartAxes | null;
  chart: ChartData | null;
  onAxes: (axes: IChartAxes) => void;
}): JSX.Element | null {
  const { axes, chart } = props;
  if (axes === null || chart === null) {
    return null;
  }
  const names = (kind: IRunColumn['kind']): string[] =>
    props.columns.filter(column => column.kind === kind).map(column => column.name);
  return (
    <section className="jp-dsl-rtable-chart" data-testid="dsl-rtable-chart">
      <h3>Chart</h3>
      <div className="jp-dsl-rtable-axes">
        <AxisPicker
          label="Metric"
          value={axes.y}
          names={names('metric')}
          testid="dsl-rtable-chart-y"
          onChange={y => props.onAxes({ ...axes, y })}
        />
        <AxisPicker
          label="against"
          value={axes.x}
          names={names('param')}
          testid="dsl-rtable-chart-x"
          onChange={x => props.onAxes({ ...axes, x })}
        />
      </div>
      {chart.series.length > 0 ? (
        <ChartView chart={chart} />
      ) : (
        <p className="jp-dsl-muted" data-testid="dsl-rtable-chart-empty">
          No run shown has both {axes.y} and {axes.x}.
        </p>
      )}
    </section>
  );
}
