/**
 * React rendered into a real (jsdom) DOM the way the sidebar renders it (a ReactWidget), with fake
 * timers: a test advances the debounces and polls (`elapse`) instead of waiting for them, and every
 * step runs inside React's `act`, so what it changed is on screen when the step returns.
 */
import { ReactWidget } from '@jupyterlab/ui-components';
import { MessageLoop } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import { act } from 'react';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

export interface IActDom {
  /** Render (replacing what was rendered), then settle what the first effects started. */
  render(element: JSX.Element): Promise<void>;
  /** Let queued promise callbacks (and the renders they cause) run. */
  flush(): Promise<void>;
  /** Advance the fake clock by `ms`, then settle what that started. */
  elapse(ms: number): Promise<void>;
  byTestId(id: string): HTMLElement[];
  /** The one element with this test id (fails when there are none or several). */
  one(id: string): HTMLElement;
  click(node: HTMLElement): Promise<void>;
  /** Type into a React-controlled field as a user does (value setter, then an input event). */
  type(input: HTMLInputElement, text: string): Promise<void>;
  /** Pick an option of a React-controlled select. */
  select(node: HTMLSelectElement, value: string): Promise<void>;
}

/** The DOM of a test file: fake timers and a fresh widget per test (call at the top level). */
export function actDom(): IActDom {
  let widget: Widget | null = null;
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    act(() => widget?.dispose());
    widget = null;
    jest.useRealTimers();
  });
  const flush = async (): Promise<void> => {
    await act(async () => {
      for (let i = 0; i < 10; i++) {
        await Promise.resolve();
      }
    });
  };
  const byTestId = (id: string): HTMLElement[] => [
    ...(widget?.node.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`) ?? [])
  ];
  return {
    flush,
    byTestId,
    async render(element) {
      await act(async () => {
        widget?.dispose();
        widget = ReactWidget.create(element);
        Widget.attach(widget, document.body);
        MessageLoop.flush(); // the widget's update request: React renders it now, not on a frame
      });
      await flush();
    },
    async elapse(ms) {
      await act(async () => {
        jest.advanceTimersByTime(ms);
      });
      await flush();
    },
    one(id) {
      const found = byTestId(id);
      expect(found.map(n => n.dataset.testid)).toEqual([id]);
      return found[0];
    },
    async click(node) {
      await act(async () => {
        node.click();
      });
      await flush();
    },
    async type(input, text) {
      await act(async () => {
        const setter = Object.getOwnPropertyDescriptor(
          HTMLInputElement.prototype,
          'value'
        );
        setter?.set?.call(input, text);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await flush();
    },
    async select(node, value) {
      await act(async () => {
        node.value = value;
        node.dispatchEvent(new Event('change', { bubbles: true }));
      });
      await flush();
    }
  };
}
