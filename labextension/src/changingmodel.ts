/**
 * The plumbing every model of the sidebar shares: a `changed` signal the views re-render on, and
 * disposal. Disposing a model disposes what it owns (its polls, its parts) and disconnects every
 * signal it sends or receives, so a model connects to its host's signals with itself as `thisArg`
 * and has nothing of its own to undo.
 */
import { DisposableSet, IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

export class ChangingModel implements IDisposable {
  /** Emitted whenever anything the model shows may have changed. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Dispose what the model owns and disconnect its signals (a subclass undoes its own first). */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._owned.dispose();
    Signal.clearData(this);
  }

  protected emitChanged(): void {
    this._changed.emit();
  }

  /** Dispose `part` with this model; returns it. */
  protected own<T extends IDisposable>(part: T): T {
    this._owned.add(part);
    return part;
  }

  private _isDisposed = false;
  private readonly _owned = new DisposableSet();
  private readonly _changed = new Signal<this, void>(this);
}
