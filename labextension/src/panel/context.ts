/**
 * What every section of the Lifecycle sidebar receives. The panel is a list of sections
 * (`SECTIONS` in sectionlist.tsx): a new section is one component file plus one line there.
 */
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import React from 'react';

import { FindingsModel } from '../findingsmodel';
import { DslModel } from '../model';
import { ParamsFormModel } from '../paramsform';
import { SidebarSettings } from '../settings';

export interface IConfirmOptions {
  title: string;
  body: React.ReactElement | string;
  /** The label of the button that does it. */
  accept: string;
  /** A destructive or outward action (closing an issue, changing a forge). */
  warn?: boolean;
}

/** What the sections ask of the application (commands, dialogs, documents). */
export interface ISidebarActions {
  openRunNotebook(id: string): void;
  /** Open a notebook's runs (or one of its batches) as a full table in the main area. */
  openRunsTable(path: string, batch?: string): void;
  /** Open the story of Ask `ask` in a main-area tab (absent: the breadcrumb stays text). */
  openStory?(ask: number): void;
  /** Open a file of the server root in JupyterLab's editor. */
  openFile(path: string): void;
  /** Ask the user (JupyterLab's showDialog); true when they accepted. */
  confirm(options: IConfirmOptions): Promise<boolean>;
  /** Make the active cell of the notebook its parameters cell (through the document model). */
  makeParametersCell(): void;
  /** Say that an action succeeded (JupyterLab's notifications). */
  notify(message: string): void;
  /** Say what the user should know and act on (a warning that stays until dismissed). */
  warn(message: string): void;
}

export interface ISidebarContext {
  model: DslModel;
  form: ParamsFormModel;
  findings: FindingsModel;
  rendermime: IRenderMimeRegistry;
  actions: ISidebarActions;
  settings: SidebarSettings;
}

export interface ISectionSpec {
  /** Stable id (data-section attribute, tests). */
  id: string;
  /** The section's name for assistive technology (the region's label). */
  label: string;
  /** Shown only while a notebook is active (the Issue section also shows without one). */
  needsNotebook: boolean;
  /** Hidden for a notebook in no DSLP project (which the panel offers to make instead). */
  needsProject: boolean;
  component: (props: { context: ISidebarContext }) => JSX.Element | null;
}
