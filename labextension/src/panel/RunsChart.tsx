/**
 * A metric against a parameter over the notebook's succeeded runs, drawn as SVG in the theme's
 * colours. The server groups the points (one line per combination of the other parameters, the
 * same lines as `jupyter dsl plot`); this only draws them.
 */
import React from 'react';

import { ChartData, DslApiError, RunsReply } from '../api';
import { asApiError } from '../fetched';
import { ErrorBox } from './common';
import { formatValue } from './format';

const WIDTH = 300;
const HEIGHT = 180;
const MARGIN = { left: 40, right: 8, top: 8, bottom: 28 };
const LINE_COLORS = [
  'var(--jp-brand-color1)',
  'var(--jp-warn-color1)',
  'var(--jp-success-color1)',
  'var(--jp-error-color1)',
  'var(--jp-accent-color1)',
  'var(--jp-ui-font-color2)'
];

/** Where each x value sits: numbers on a linear scale, anything else as evenly spaced categories. */
export function xPositions(values: unknown[]): Map<string, number> {
  const keys = [...new Set(values.map(value => formatValue(value)))];
  const numeric = values.every(value => typeof value === 'number');
  const positions = new Map<string, number>();
  if (numeric && values.length > 0) {
    const numbers = values as number[];
    const [low, high] = [Math.min(...numbers), Math.max(...numbers)];
    for (const value of numbers) {
      positions.set(
        formatValue(value),
        high === low ? 0.5 : (value - low) / (high - low)
      );
    }
    return positions;
  }
  keys.forEach((key, index) =>
    positions.set(key, keys.length === 1 ? 0.5 : index / (keys.length - 1))
  );
  return positions;
}

export function ChartView(props: { chart: ChartData }): JSX.Element {
  const { chart } = props;
  const points = chart.series.flatMap(series => series.points);
  const xs = xPositions(points.map(point => point[0]));
  const ys = points.map(point => point[1]);
  const [low, high] = [Math.min(...ys), Math.max(...ys)];
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const px = (x: unknown): number =>
    MARGIN.left + (xs.get(formatValue(x)) ?? 0) * plotW;
  const py = (y: number): number =>
    MARGIN.top + (high === low ? 0.5 : 1 - (y - low) / (high - low)) * plotH;
  return (
    <figure className="jp-dsl-chart" data-testid="dsl-chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={`${chart.title}: ${points.length} points`}
      >
        <line
          className="jp-dsl-chart-axis"
          x1={MARGIN.left}
          y1={MARGIN.top + plotH}
          x2={MARGIN.left + plotW}
          y2={MARGIN.top + plotH}
        />
        <line
          className="jp-dsl-chart-axis"
          x1={MARGIN.left}
          y1={MARGIN.top}
          x2={MARGIN.left}
          y2={MARGIN.top + plotH}
        />
        <text
          className="jp-dsl-chart-tick"
          x={MARGIN.left - 4}
          y={MARGIN.top + 8}
          textAnchor="end"
        >
          {formatValue(high)}
        </text>
        <text
          className="jp-dsl-chart-tick"
          x={MARGIN.left - 4}
          y={MARGIN.top + plotH}
          textAnchor="end"
        >
          {formatValue(low)}
        </text>
        {[...xs.entries()].map(([label, at]) => (
          <text
            key={label}
            className="jp-dsl-chart-tick"
            x={MARGIN.left + at * plotW}
            y={HEIGHT - 14}
            textAnchor="middle"
          >
            {label}
          </text>
        ))}
        <text
          className="jp-dsl-chart-label"
          x={MARGIN.left + plotW / 2}
          y={HEIGHT - 2}
          textAnchor="middle"
        >
          {chart.x}
        </text>
        {chart.series.map((series, index) => {
          const color = LINE_COLORS[index % LINE_COLORS.length];
          const path = series.points.map(p => `${px(p[0])},${py(p[1])}`).join(' ');
          return (
            <g
              key={series.label || index}
              data-testid="dsl-chart-series"
              data-label={series.label}
            >
              <polyline points={path} fill="none" stroke={color} strokeWidth={1.5} />
              {series.points.map((p, i) => (
                <circle key={i} cx={px(p[0])} cy={py(p[1])} r={2.5} fill={color}>
                  <title>{`${chart.x}=${formatValue(p[0])}, ${chart.y}=${formatValue(p[1])}`}</title>
                </circle>
              ))}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <span className="jp-dsl-muted">{chart.title}</span>
        {chart.series.length > 1 || chart.series[0]?.label ? (
          <ul className="jp-dsl-chart-legend">
            {chart.series.map((series, index) => (
              <li key={series.label || index}>
                <span
                  className="jp-dsl-chart-swatch"
                  style={{ background: LINE_COLORS[index % LINE_COLORS.length] }}
                />
                {series.label}
              </li>
            ))}
          </ul>
        ) : null}
      </figcaption>
    </figure>
  );
}

/** Pick a metric and a parameter; the chart is fetched when both are set and when the runs change. */
export function RunsChart(props: {
  runs: RunsReply;
  load: (x: string, y: string) => Promise<ChartData>;
}): JSX.Element | null {
  const { runs, load } = props;
  const params = runs.varying_parameters;
  const [x, setX] = React.useState('');
  const [y, setY] = React.useState('');
  const [chart, setChart] = React.useState<ChartData | null>(null);
  const [error, setError] = React.useState<DslApiError | null>(null);
  const [open, setOpen] = React.useState(false);
  const chosenX = params.includes(x) ? x : (params[0] ?? '');
  const chosenY = runs.metrics.includes(y) ? y : (runs.metrics[0] ?? '');
  React.useEffect(() => {
    if (!open || !chosenX || !chosenY) {
      return; // fetched only while the chart is shown
    }
    let current = true;
    load(chosenX, chosenY).then(
      reply => {
        if (current) {
          setChart(reply);
          setError(null);
        }
      },
      caught => {
        if (current) {
          setChart(null);
          setError(asApiError(caught));
        }
      }
    );
    return () => {
      current = false;
    };
  }, [open, chosenX, chosenY, runs, load]);
  if (params.length === 0 || runs.metrics.length === 0) {
    return null;
  }
  return (
    <details
      className="jp-dsl-chart-box"
      data-testid="dsl-runs-chart"
      onToggle={event => setOpen(event.currentTarget.open)}
    >
      <summary>Chart a metric against a parameter</summary>
      <div className="jp-dsl-chart-pick">
        <label>
          Metric{' '}
          <select
            value={chosenY}
            onChange={event => setY(event.target.value)}
            data-testid="dsl-chart-y"
          >
            {runs.metrics.map(name => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </label>{' '}
        <label>
          by{' '}
          <select
            value={chosenX}
            onChange={event => setX(event.target.value)}
            data-testid="dsl-chart-x"
          >
            {params.map(name => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </label>
      </div>
      <ErrorBox error={error} context="Could not chart the runs" />
      {chart !== null ? <ChartView chart={chart} /> : null}
    </details>
  );
}
