/**
 * A run's details list the datasets it read: name, version and hash, and a warning, naming the
 * files, when the local files differed from the recorded version. Hostile names stay text.
 */
import React from 'react';

import { inputText, RunInputs } from '../panel/RunInputs';
import { actDom } from './actdom';

const { render, byTestId, one } = actDom();

describe("a run's inputs", () => {
  it('names each dataset with its version and hash, and warns of changed files', async () => {
    await render(
      <RunInputs
        inputs={{
          customers: {
            version: '1.2.0',
            md5: '3f9a1c2b7d.dir',
            path: 'data/customers'
          },
          '<img src=x onerror=alert(1)>': {
            version: '0.1.0',
            md5: 'aaaaaaaaaa',
            modified: true,
            changed: ['data/raw/a.csv', 'data/raw/b.csv']
          }
        }}
      />
    );
    const items = [...one('dsl-run-inputs').querySelectorAll('li')];
    expect(items.map(item => item.dataset.name)).toEqual([
      '<img src=x onerror=alert(1)>',
      'customers'
    ]);
    expect(items[1].textContent).toBe('customers 1.2.0 (md5 3f9a1c2)');
    expect(one('dsl-run-input-changed').textContent).toBe(
      'read with local files that differ from this version: data/raw/a.csv, data/raw/b.csv'
    );
    expect(one('dsl-run-inputs').querySelector('img')).toBeNull();
  });

  it('shows nothing for a run that read no dataset', async () => {
    await render(<RunInputs inputs={{}} />);
    expect(byTestId('dsl-run-inputs')).toEqual([]);
    expect(inputText('raw', { md5: '' })).toBe('raw (no tagged version)');
  });
});
