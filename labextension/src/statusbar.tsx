/**
 * The status bar item: `#N Type` of the active notebook; a click opens the Lifecycle sidebar.
 */
import { TextItem } from '@jupyterlab/statusbar';
import { ReactWidget } from '@jupyterlab/ui-components';
import React from 'react';

import { DslModel } from './model';
import { useSignal } from './panel/common';

function StatusText(props: { model: DslModel; onClick: () => void }): JSX.Element {
  const { model, onClick } = props;
  useSignal(model.changed);
  const text = model.statusText;
  const link = model.link;
  const title =
    link.kind === 'linked'
      ? `Linked to #${link.link.issue.number}: ${link.link.issue.title}. Click to open the Lifecycle sidebar.`
      : link.kind === 'invalid'
        ? link.reason
        : '';
  return (
    <div
      className="jp-dsl-status"
      data-testid="dsl-status"
      onClick={onClick}
      hidden={text === ''}
    >
      <TextItem source={text} title={title} />
    </div>
  );
}

export class LinkStatusItem extends ReactWidget {
  constructor(
    private readonly model: DslModel,
    private readonly onClick: () => void
  ) {
    super();
    this.addClass('jp-dsl-status-item');
  }

  protected render(): JSX.Element {
    return <StatusText model={this.model} onClick={this.onClick} />;
  }
}
