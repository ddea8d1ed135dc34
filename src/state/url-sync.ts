/**
 * Keeps the address bar and the browser history in step with the store: a change becomes a history entry (or
 * corrects the current one), Back and Forward restore the state of their entry. The entry carries the whole state;
 * the URL leaves out customer names unless the user opted in (state.names).
 */
import { type AppState, parseState } from './app-state';
import type { Store } from './store';
import { encodeState } from './url';

/** The page's own entries in history.state, apart from anything else a browser or extension put there. */
const KEY = 'kal';

export class UrlSync {
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly store: Store) {}

  start(onRestore?: (issues: string[]) => void): void {
    this.store.subscribe((state, _prev, mode) => {
      if (mode !== 'none') this.write(state, mode);
    });
    window.addEventListener('popstate', (e) => {
      const saved = (e.state as Record<string, unknown> | null)?.[KEY];
      // history.state is the page's own, but it came through the browser: read it like any other input.
      const { state, issues } = parseState(saved ?? {});
      this.store.set(state, 'none');
      if (issues.length) onRestore?.(issues);
    });
    this.write(this.store.get(), 'replace');
  }

  /** Resolves once the address bar shows the current state. */
  settled(): Promise<void> {
    return this.writing;
  }

  /** The link to a state, absolute, with or without customer names. */
  async link(state: AppState, names: boolean): Promise<string> {
    const { search, hash } = await encodeState({ ...state, names });
    return `${location.origin}${location.pathname}${search}${hash}`;
  }

  private write(state: AppState, mode: 'push' | 'replace'): void {
    this.writing = this.writing.then(async () => {
      const { search, hash } = await encodeState(state);
      // A newer change already replaced this one: its own write follows.
      if (state !== this.store.get() && mode === 'replace') return;
      const url = `${location.pathname}${search}${hash}`;
      const entry = { ...(history.state ?? {}), [KEY]: state };
      // A change that leaves the URL as it was (a selected customer, kept out of links) is still a step back.
      if (mode === 'push') history.pushState({ [KEY]: state }, '', url);
      else history.replaceState(entry, '', url);
    });
  }
}
