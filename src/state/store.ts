/** One place that holds the view state: read it, change it, and hear about changes. DOM-free. */
import type { AppState } from './app-state';

/** How a change enters the browser history: a step of its own, a correction of the current one, or neither. */
export type HistoryMode = 'push' | 'replace' | 'none';

export type Listener = (state: AppState, prev: AppState, mode: HistoryMode) => void;

export class Store {
  private state: AppState;
  private listeners = new Set<Listener>();

  constructor(initial: AppState) {
    this.state = initial;
  }

  get(): AppState {
    return this.state;
  }

  /** Applies a change; listeners hear of it only when something changed. */
  update(change: (s: AppState) => AppState, mode: HistoryMode = 'push'): void {
    this.set(change(this.state), mode);
  }

  set(next: AppState, mode: HistoryMode = 'push'): void {
    const prev = this.state;
    if (JSON.stringify(next) === JSON.stringify(prev)) return;
    this.state = next;
    for (const l of [...this.listeners]) l(next, prev, mode);
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}
