/**
 * Presentation mode for a quarterly review: the executive summary, then one figure per slide with its headline,
 * the presenter's one-line comment and a footer (source, period, filters, slide number). Opens with `present` in the
 * link, the Present button or F; arrows, Page Up/Down, Space and clicks move; Esc closes. The same slides make the
 * print deck.
 */
import type { AppState } from '../state/app-state';
import type { HistoryMode } from '../state/store';
import { h } from '../ui/dom';
import type { Figure } from './figure';
import type { Finding } from './summary';

export interface DeckSource {
  figures(): Figure[];
  findings(): Finding[];
  footer(): string;
  state(): AppState;
  update(change: (s: AppState) => AppState, mode?: HistoryMode): void;
}

/** The figures on the deck: the chosen ones in their order, else every figure not taken off. */
export function deckFigures(all: Figure[], s: AppState): Figure[] {
  const byId = new Map(all.map((f) => [f.id, f]));
  const chosen = s.deck.slides.length ? s.deck.slides.map((id) => byId.get(id)).filter((f): f is Figure => !!f) : all;
  return chosen.filter((f) => !s.deck.hidden.includes(f.id));
}

/** The size of a slide's chart at 1280×720: axis labels at 16 px. */
const SLIDE_CHART = { width: 1160, height: 440, fontSize: '16px' };
/** A landscape A4 or Letter page is taller for its width than a 16:9 screen, with no controls to leave room for. */
const PRINT_CHART = { ...SLIDE_CHART, height: 580 };

/** One slide per item: the summary, then each figure. `print` adds the link and the date to every footer. */
export async function buildSlides(src: DeckSource, o: { print?: boolean; link?: string } = {}): Promise<HTMLElement[]> {
  const s = src.state();
  const figures = deckFigures(src.figures(), s);
  const findings = src.findings();
  const total = figures.length + 1;
  const footer = (i: number) =>
    h(
      'footer',
      { class: 'slide-footer' },
      h('span', {}, src.footer()),
      o.print ? h('span', { class: 'slide-link' }, `${o.link ?? ''} · ${new Date().toISOString().slice(0, 10)}`) : null,
      h('span', { class: 'slide-number' }, `${i + 1} / ${total}`),
    );
  const slides: HTMLElement[] = [
    h(
      'section',
      { class: 'slide', 'data-slide': 0, 'aria-label': `Slide 1 of ${total}: summary` },
      h('h2', { class: 'slide-title' }, 'In five sentences'),
      h('ol', { class: 'slide-summary' }, ...findings.map((f) => h('li', {}, f.text))),
      footer(0),
    ),
  ];
  for (const [n, fig] of figures.entries()) {
    const i = n + 1;
    const chart = await fig
      .chart({ size: o.print ? PRINT_CHART : SLIDE_CHART })
      .catch(
        (e) =>
          h('p', { class: 'note' }, `The chart could not be drawn: ${String((e as Error)?.message ?? e)}`) as Element,
      );
    const note = s.deck.notes[fig.id] ?? '';
    const comment = o.print ? (note ? h('p', { class: 'slide-comment' }, note) : null) : commentInput(fig, note, src);
    slides.push(
      h(
        'section',
        {
          class: 'slide',
          'data-slide': i,
          'data-figure-slide': fig.id,
          'aria-label': `Slide ${i + 1} of ${total}: ${fig.title}`,
        },
        h('h2', { class: 'slide-title' }, fig.headline),
        h('p', { class: 'slide-subtitle' }, fig.title),
        fig.legend?.length ? slideLegend(fig.legend) : null,
        h('div', { class: 'slide-chart' }, chart),
        comment,
        fig.note ? h('p', { class: 'slide-note' }, fig.note) : null,
        footer(i),
      ),
    );
  }
  return slides;
}

/** The legend a chart draws outside its SVG (the page shows it in the section's heading). */
function slideLegend(items: NonNullable<Figure['legend']>): HTMLElement {
  return h(
    'p',
    { class: 'slide-legend' },
    ...items.flatMap((item) => {
      const swatch = h('span', { class: 'legend-swatch', 'aria-hidden': 'true' });
      // Through the CSSOM: the CSP allows no inline style attribute.
      swatch.style.background = item.color;
      return [swatch, h('span', {}, item.label)];
    }),
  );
}

function commentInput(fig: Figure, note: string, src: DeckSource): HTMLElement {
  const input = h('input', {
    type: 'text',
    class: 'slide-comment-input',
    value: note,
    maxlength: 300,
    placeholder: 'Add a comment or the action you ask for…',
    'aria-label': `Comment on "${fig.title}"`,
  }) as HTMLInputElement;
  input.addEventListener('change', () =>
    src.update(
      (s) => ({ ...s, deck: { ...s.deck, notes: { ...s.deck.notes, [fig.id]: input.value.trim() } } }),
      'replace',
    ),
  );
  return input;
}

export class Presentation {
  readonly el = h('div', {
    class: 'presentation',
    role: 'dialog',
    'aria-modal': 'true',
    'aria-label': 'Presentation',
    hidden: true,
  });
  private index = 0;
  private slides: HTMLElement[] = [];
  private building = 0;

  constructor(
    private readonly root: HTMLElement,
    private readonly src: DeckSource,
  ) {
    // While the deck is open every key is the deck's (focus may be on the page behind it, after a comment).
    document.addEventListener('keydown', (e) => {
      if (this.isOpen()) this.key(e);
    });
    this.el.addEventListener('click', (e) => {
      const t = e.target as HTMLElement;
      if (t.closest('button, input, select, a, .deck-picker')) return;
      this.go(this.index + 1);
    });
    document.addEventListener('fullscreenchange', () => {
      if (!document.fullscreenElement && this.isOpen()) this.el.focus();
    });
  }

  isOpen(): boolean {
    return !this.el.hidden;
  }

  /** Follows the state: opens, closes or redraws. */
  async sync(fullscreen = false): Promise<void> {
    const on = this.src.state().present;
    if (!on) {
      if (this.isOpen()) this.close();
      return;
    }
    await this.build();
    if (!this.isOpen()) {
      this.el.hidden = false;
      this.root.dataset.present = 'on';
      this.el.tabIndex = -1;
      this.el.focus();
      if (fullscreen) await this.el.requestFullscreen?.().catch(() => {});
    }
  }

  private close(): void {
    this.el.hidden = true;
    delete this.root.dataset.present;
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => {});
  }

  private async build(): Promise<void> {
    const gen = ++this.building;
    const slides = await buildSlides(this.src);
    if (gen !== this.building) return;
    this.slides = slides;
    this.index = Math.min(this.index, slides.length - 1);
    this.el.replaceChildren(this.toolbar(), h('div', { class: 'slides' }, ...slides));
    this.go(this.index);
  }

  private toolbar(): HTMLElement {
    const s = this.src.state();
    const all = this.src.figures();
    const shown = deckFigures(all, s).map((f) => f.id);
    const order = [...shown, ...all.map((f) => f.id).filter((id) => !shown.includes(id))];
    const set = (slides: string[], hidden: string[]) =>
      this.src.update((st) => ({ ...st, deck: { ...st.deck, slides, hidden } }));
    const picker = h(
      'details',
      { class: 'deck-picker' },
      h('summary', { class: 'button' }, 'Slides…'),
      h(
        'ol',
        {},
        ...order.map((id, i) => {
          const fig = all.find((f) => f.id === id) as Figure;
          const box = h('input', {
            type: 'checkbox',
            checked: shown.includes(id),
            id: `deck-${id}`,
          }) as HTMLInputElement;
          box.addEventListener('change', () =>
            set(order, box.checked ? s.deck.hidden.filter((x) => x !== id) : [...s.deck.hidden, id]),
          );
          const move = (d: number) => () => {
            const next = [...order];
            const j = i + d;
            if (j < 0 || j >= next.length) return;
            [next[i], next[j]] = [next[j] as string, next[i] as string];
            set(next, s.deck.hidden);
          };
          return h(
            'li',
            {},
            box,
            h('label', { for: `deck-${id}` }, fig.title),
            h('button', { type: 'button', 'aria-label': `Move "${fig.title}" up`, onclick: move(-1) }, '↑'),
            h('button', { type: 'button', 'aria-label': `Move "${fig.title}" down`, onclick: move(1) }, '↓'),
          );
        }),
      ),
    );
    return h(
      'div',
      { class: 'deck-toolbar' },
      h('button', { type: 'button', 'aria-label': 'Previous slide', onclick: () => this.go(this.index - 1) }, '←'),
      h('button', { type: 'button', 'aria-label': 'Next slide', onclick: () => this.go(this.index + 1) }, '→'),
      picker,
      h('button', { type: 'button', onclick: () => void this.el.requestFullscreen?.().catch(() => {}) }, 'Full screen'),
      h('button', { type: 'button', onclick: () => this.exit() }, 'Close (Esc)'),
    );
  }

  private exit(): void {
    this.src.update((s) => ({ ...s, present: false }));
  }

  go(i: number): void {
    if (!this.slides.length) return;
    this.index = Math.max(0, Math.min(this.slides.length - 1, i));
    for (const [n, slide] of this.slides.entries()) slide.hidden = n !== this.index;
    this.el.dataset.index = String(this.index);
  }

  private key(e: KeyboardEvent): void {
    const t = e.target;
    // Typing a comment is typing, not navigating.
    if (t instanceof HTMLElement && t.matches('input, textarea, select')) {
      if (e.key === 'Escape') t.blur();
      return;
    }
    const next = ['ArrowRight', 'ArrowDown', 'PageDown', ' '].includes(e.key);
    const prev = ['ArrowLeft', 'ArrowUp', 'PageUp'].includes(e.key);
    if (next || prev) this.go(this.index + (next ? 1 : -1));
    else if (e.key === 'Home') this.go(0);
    else if (e.key === 'End') this.go(this.slides.length - 1);
    else if (e.key === 'Escape') this.exit();
    else return;
    e.preventDefault();
  }
}
