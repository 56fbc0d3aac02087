/**
 * The Issue section of a Data or Model issue: the dataset versions tied to it (version, size, files,
 * the runs that read each) and the model versions its runs saved (with the run that made each).
 * Everything is data from the server, rendered as text.
 */
import React from 'react';

import { DslApiError } from '../api';
import { asApiError } from '../fetched';
import { DatasetVersion, ModelVersion, VersionsReply } from '../wire';
import { ErrorBox } from './common';

/** A size in bytes, readable: "512 B", "3.4 kB", "2.0 GB". */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) {
    return 'size unknown';
  }
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

export function datasetText(version: DatasetVersion): string {
  const files =
    version.nfiles === null
      ? ''
      : `, ${version.nfiles} file${version.nfiles === 1 ? '' : 's'}`;
  const current = version.current ? ' (in the workspace)' : '';
  return `${version.name} ${version.version}: ${formatBytes(version.size)}${files}${current}`;
}

export function modelText(model: ModelVersion): string {
  const made = model.run_id ? `, made by run ${model.run_id}` : '';
  const aliases = model.aliases.length > 0 ? ` [${model.aliases.join(', ')}]` : '';
  return `${model.name} ${model.version}${aliases}: ${model.format}, ${formatBytes(model.size)}${made}`;
}

export function IssueVersions(props: {
  load: () => Promise<VersionsReply>;
}): JSX.Element {
  const { load } = props;
  const [reply, setReply] = React.useState<VersionsReply | null>(null);
  const [error, setError] = React.useState<DslApiError | null>(null);
  React.useEffect(() => {
    let current = true;
    load().then(
      value => current && setReply(value),
      caught => current && setError(asApiError(caught))
    );
    return () => {
      current = false;
    };
  }, [load]);
  if (error !== null) {
    return <ErrorBox error={error} context="Versions" />;
  }
  if (reply === null) {
    return <p className="jp-dsl-muted">Loading versions…</p>;
  }
  return (
    <div className="jp-dsl-versions" data-testid="dsl-issue-versions">
      <h4>Versions</h4>
      {reply.datasets.length === 0 && reply.models.length === 0 ? (
        <p className="jp-dsl-muted" data-testid="dsl-no-versions">
          No dataset or model version is tied to this issue yet.
        </p>
      ) : null}
      <ul className="jp-dsl-notes">
        {reply.datasets.map(version => (
          <li
            key={`${version.name}@${version.version}`}
            data-testid="dsl-dataset-version"
          >
            {datasetText(version)}
            <div className="jp-dsl-muted">
              {version.runs.length === 0
                ? 'read by no run yet'
                : `read by ${version.runs.map(run => `${run.id} (${run.status})`).join(', ')}`}
            </div>
          </li>
        ))}
        {reply.models.map(model => (
          <li key={`${model.name}@${model.version}`} data-testid="dsl-model-version">
            {modelText(model)}
          </li>
        ))}
      </ul>
    </div>
  );
}
