/** A progress bar with a stage label; shown only for work that lasts longer than ~300 ms. */
import { h } from './dom';

export class ProgressBar {
  readonly el: HTMLElement;
  private bar: HTMLElement;
  private label: HTMLElement;
  private showTimer = 0;
  private easeTimer = 0;
  private started = 0;

  constructor() {
    this.bar = h('div', { class: 'progress-fill' });
    this.label = h('span', { class: 'progress-label' });
    this.el = h(
      'div',
      {
        class: 'progress',
        role: 'progressbar',
        'aria-valuemin': 0,
        'aria-valuemax': 100,
        'aria-label': 'Loading',
        hidden: true,
      },
      h('div', { class: 'progress-track' }, this.bar),
      this.label,
    );
  }

  start(text: string, immediate = false): void {
    this.started = performance.now();
    this.set(text, 0);
    clearTimeout(this.showTimer);
    if (immediate) this.el.hidden = false;
    else this.showTimer = window.setTimeout(() => (this.el.hidden = false), 300);
  }

  set(text: string, fraction?: number): void {
    clearInterval(this.easeTimer);
    const secs = ((performance.now() - this.started) / 1000).toFixed(1);
    this.label.textContent = `${text} · ${secs} s`;
    this.el.setAttribute('aria-valuetext', text);
    if (fraction !== undefined) this.fill(fraction);
  }

  /** DuckDB cannot report progress while it reads a file, so move towards `to` over the expected duration. */
  estimate(text: string, from: number, to: number, expectedMs: number): void {
    this.set(`${text} (estimated)`, from);
    const t0 = performance.now();
    this.easeTimer = window.setInterval(() => {
      const k = 1 - Math.exp(-(performance.now() - t0) / expectedMs);
      this.fill(from + (to - from) * k);
      const secs = ((performance.now() - this.started) / 1000).toFixed(1);
      this.label.textContent = `${text} · ${secs} s`;
    }, 100);
  }

  private fill(f: number): void {
    const pct = Math.round(Math.max(0, Math.min(1, f)) * 100);
    this.bar.style.transform = `scaleX(${pct / 100})`;
    this.el.setAttribute('aria-valuenow', String(pct));
  }

  done(): void {
    clearTimeout(this.showTimer);
    clearInterval(this.easeTimer);
    this.el.hidden = true;
  }
}
