/**
 * "Open the Story of an Ask" (`OPEN_STORY {number?, path?}`): the story in a main-area tab, one per
 * Ask (opening it again shows the open tab). Without a number it tells the story of the active
 * notebook's Ask, or asks which Ask. Links open in Lab: files with the document manager, a run's
 * output notebook read-only (the sidebar's command for run details).
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import {
  InputDialog,
  MainAreaWidget,
  ReactWidget,
  WidgetTracker
} from '@jupyterlab/apputils';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { Widget } from '@lumino/widgets';
import React from 'react';

import { ParsedLink } from '../link';
import { IStoryActions } from './StoryLinks';
import { IStorySource, LinkTarget, StoryModel } from './storymodel';
import { StoryView } from './StoryView';

export const OPEN_STORY = 'jupyter-dsl:open-story';

export interface IStoryCommandOptions {
  api: IStorySource;
  rendermime: IRenderMimeRegistry;
  /** The active notebook's API path and the number of its Ask (null: none). */
  current(): { path: string | null; ask: number | null };
  /** Open run `id`'s output notebook read-only; `path` locates its project. */
  openRunNotebook(id: string, path: string): void;
}

/** The main-area id of Ask `number`'s story tab. */
export function storyId(number: number): string {
  return `jupyter-dsl-story-${number}`;
}

/** A positive whole number from a command argument, else null. */
export function askNumber(value: unknown): number | null {
  const number = typeof value === 'string' ? Number(value.replace(/^#/, '')) : value;
  return typeof number === 'number' && Number.isInteger(number) && number > 0
    ? number
    : null;
}

/** The Ask of a notebook's link: its issue's Ask, or the issue when it is an Ask. */
export function askOfLink(link: ParsedLink): number | null {
  if (link.kind !== 'linked') {
    return null;
  }
  return link.link.issue.type === 'Ask' ? link.link.issue.number : link.link.ask;
}

async function chooseAsk(fallback: number | null): Promise<number | null> {
  if (fallback !== null) {
    return fallback;
  }
  const result = await InputDialog.getNumber({
    title: 'Open the story of Ask #',
    value: 1
  });
  return result.button.accept ? askNumber(result.value) : null;
}

function createStory(
  app: JupyterFrontEnd,
  model: StoryModel,
  options: IStoryCommandOptions
): MainAreaWidget<Widget> {
  const actions: IStoryActions = {
    open: (target: LinkTarget) => {
      if (target.kind === 'file') {
        void app.commands.execute('docmanager:open', { path: target.path });
      } else if (target.kind === 'run') {
        options.openRunNotebook(target.id, model.reply?.path ?? model.path);
      }
    }
  };
  const content = ReactWidget.create(
    <StoryView model={model} actions={actions} rendermime={options.rendermime} />
  );
  content.addClass('jp-dsl-story-content');
  const widget = new MainAreaWidget({ content });
  widget.id = storyId(model.number);
  widget.title.label = `Story of Ask #${model.number}`;
  widget.title.caption = `The story of Ask #${model.number}: its work, findings and runs`;
  widget.title.closable = true;
  widget.disposed.connect(() => model.dispose());
  return widget;
}

export function addStoryCommand(
  app: JupyterFrontEnd,
  options: IStoryCommandOptions
): void {
  const tracker = new WidgetTracker<MainAreaWidget<Widget>>({
    namespace: 'jupyter-dsl-story'
  });
  app.commands.addCommand(OPEN_STORY, {
    label: args => {
      const number = askNumber(args.number);
      return number === null
        ? 'Open the Story of an Ask…'
        : `Open the Story of Ask #${number}`;
    },
    caption: 'The Ask’s work, findings and runs in a tab that stays current',
    execute: async args => {
      const current = options.current();
      const number = askNumber(args.number) ?? (await chooseAsk(current.ask));
      if (number === null) {
        return;
      }
      const open = tracker.find(widget => widget.id === storyId(number));
      if (open) {
        app.shell.activateById(open.id);
        return;
      }
      const path = typeof args.path === 'string' ? args.path : (current.path ?? '');
      const model = new StoryModel(options.api, number, path);
      const widget = createStory(app, model, options);
      void tracker.add(widget);
      app.shell.add(widget, 'main');
      app.shell.activateById(widget.id);
      void model.start();
    }
  });
}
