/**
 * The Issue section of a Data or Model issue lists its versions: dataset versions with size, files
 * and the runs that read them; model versions with the run that made them; an error in words.
 */
import React from 'react';

import { DslApiError } from '../api';
import { formatBytes, IssueVersions } from '../panel/IssueVersions';
import { VersionsReply } from '../wire';
import { actDom } from './actdom';

const { render, byTestId, one } = actDom();

const REPLY: VersionsReply = {
  datasets: [
    {
      name: 'customers',
      version: '1.2.0',
      md5: 'abc.dir',
      size: 3400,
      nfiles: 2,
      path: 'data/customers.dvc',
      issue: 4,
      commit: 'c0ffee',
      tagged_at: '2026-12-01T10:00:00Z',
      current: true,
      runs: [
        { id: '20260101-000000-a1b2c3', status: 'succeeded', notebook: 'train.ipynb' }
      ]
    },
    {
      name: '<img src=x onerror=alert(1)>',
      version: '0.1.0',
      md5: 'def',
      size: null,
      nfiles: 1,
      path: 'data/x.dvc',
      issue: 4,
      commit: 'c0ffee',
      tagged_at: '',
      current: false,
      runs: []
    }
  ],
  models: [
    {
      name: 'churn-model',
      version: '1.0.0',
      md5: 'ab',
      size: 12,
      format: 'skops',
      run_id: '20260101-000000-a1b2c3',
      created_at: '',
      aliases: ['production'],
      run: null
    }
  ]
};

describe("a Data or Model issue's versions", () => {
  it('lists dataset versions with size, files and runs, and model versions with their run', async () => {
    await render(<IssueVersions load={async () => REPLY} />);
    const datasets = byTestId('dsl-dataset-version').map(node => node.textContent);
    expect(datasets).toEqual([
      'customers 1.2.0: 3.4 kB, 2 files (in the workspace)read by 20260101-000000-a1b2c3 (succeeded)',
      '<img src=x onerror=alert(1)> 0.1.0: size unknown, 1 fileread by no run yet'
    ]);
    expect(one('dsl-model-version').textContent).toBe(
      'churn-model 1.0.0 [production]: skops, 12 B, made by run 20260101-000000-a1b2c3'
    );
    expect(one('dsl-issue-versions').querySelector('img')).toBeNull();
  });

  it('says when nothing is tied to the issue, and shows an error in words', async () => {
    await render(<IssueVersions load={async () => ({ datasets: [], models: [] })} />);
    expect(one('dsl-no-versions').textContent).toContain('No dataset or model version');
    await render(
      <IssueVersions
        load={() =>
          Promise.reject(
            new DslApiError(422, 'cannot read the data store', 'Check [data] store.')
          )
        }
      />
    );
    expect(one('dsl-error-message').textContent).toBe(
      'Versions: cannot read the data store'
    );
    expect(formatBytes(2_000_000_000)).toBe('2.0 GB');
  });
});
