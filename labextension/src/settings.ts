/**
 * The sidebar's settings (schema: labextension/schema/plugin.json), read defensively: a value of
 * the wrong kind falls back to its default.
 */
import { ISignal, Signal } from '@lumino/signaling';

import { SummaryFormat } from './wire';

export interface ISidebarSettings {
  /** Seconds between refreshes of runs and findings; 0: only on save and switch. */
  refreshInterval: number;
  /** Runs at once for a batch started from the sidebar (read by the Batch section). */
  defaultWorkers: number;
  findingsFormat: SummaryFormat;
}

export const DEFAULT_SETTINGS: ISidebarSettings = {
  refreshInterval: 30,
  defaultWorkers: 2,
  findingsFormat: 'html'
};

function wholeNumber(value: unknown, min: number, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min
    ? value
    : fallback;
}

export function readSettings(composite: Record<string, unknown>): ISidebarSettings {
  const format = composite.findingsFormat;
  return {
    refreshInterval: wholeNumber(
      composite.refreshInterval,
      0,
      DEFAULT_SETTINGS.refreshInterval
    ),
    defaultWorkers: wholeNumber(
      composite.defaultWorkers,
      1,
      DEFAULT_SETTINGS.defaultWorkers
    ),
    findingsFormat: format === 'md' || format === 'html' ? format : 'html'
  };
}

/** The current settings and a signal when they change. */
export class SidebarSettings {
  get value(): ISidebarSettings {
    return this._value;
  }

  get changed(): ISignal<this, ISidebarSettings> {
    return this._changed;
  }

  update(value: ISidebarSettings): void {
    this._value = value;
    this._changed.emit(value);
  }

  private _value: ISidebarSettings = { ...DEFAULT_SETTINGS };
  private readonly _changed = new Signal<this, ISidebarSettings>(this);
}
