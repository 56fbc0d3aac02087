/**
 * The datasets a run read (`jupyter_dsl.dataset`, its record's `inputs`): name, version and hash, and
 * a warning when the local files differed from the recorded version. Rendered as text.
 */
import React from 'react';

import { RunRecord } from '../api';

type Inputs = NonNullable<RunRecord['inputs']>;

/** One dataset read, in words: "customers 1.2.0 (md5 3f9a1c2)". */
export function inputText(name: string, input: Inputs[string]): string {
  const version = input.version ? ` ${input.version}` : ' (no tagged version)';
  const hash = input.md5 ? ` (md5 ${input.md5.slice(0, 7)})` : '';
  return `${name}${version}${hash}`;
}

export function RunInputs(props: { inputs: RunRecord['inputs'] }): JSX.Element | null {
  const inputs = props.inputs ?? {};
  const names = Object.keys(inputs).sort();
  if (names.length === 0) {
    return null;
  }
  return (
    <>
      <h4>Inputs</h4>
      <ul className="jp-dsl-notes" data-testid="dsl-run-inputs">
        {names.map(name => {
          const input = inputs[name];
          return (
            <li key={name} data-name={name}>
              {inputText(name, input)}
              {input.modified ? (
                <div className="jp-dsl-warning" data-testid="dsl-run-input-changed">
                  read with local files that differ from this version
                  {input.changed && input.changed.length > 0
                    ? `: ${input.changed.join(', ')}`
                    : ''}
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
    </>
  );
}
