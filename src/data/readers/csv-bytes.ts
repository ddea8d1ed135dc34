/**
 * Writes RFC 4180 CSV straight into UTF-8 bytes, for readers whose text values arrive as bytes (Parquet): a
 * million rows go out without a JavaScript string per text value, per line or for the whole file.
 */
import { type Cell, dateText } from './table';

const COMMA = 44;
const NL = 10;
const CR = 13;
const QUOTE = 34;

export class CsvBytes {
  private buf: Uint8Array;
  private at = 0;
  private readonly encoder = new TextEncoder();
  /** Dates repeat (a few hundred days in a million lines): each is formatted once. */
  private readonly dates = new Map<number, Uint8Array>();

  constructor(expectedBytes: number) {
    this.buf = new Uint8Array(Math.max(1024, expectedBytes));
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.at + n));
    next.set(this.buf.subarray(0, this.at));
    this.buf = next;
  }

  /** A field of UTF-8 bytes, quoted when it holds a comma, quote or line break. */
  bytes(v: Uint8Array): void {
    let plain = true;
    for (let i = 0; i < v.length; i++) {
      const c = v[i];
      if (c === COMMA || c === QUOTE || c === NL || c === CR) {
        plain = false;
        break;
      }
    }
    if (plain) {
      this.room(v.length);
      this.buf.set(v, this.at);
      this.at += v.length;
      return;
    }
    this.room(v.length * 2 + 2);
    this.buf[this.at++] = QUOTE;
    for (let i = 0; i < v.length; i++) {
      const c = v[i] as number;
      if (c === QUOTE) this.buf[this.at++] = QUOTE;
      this.buf[this.at++] = c;
    }
    this.buf[this.at++] = QUOTE;
  }

  text(s: string): void {
    this.bytes(this.encoder.encode(s));
  }

  /** ASCII only (numbers, ISO dates): one byte per character. */
  private ascii(s: string): void {
    this.room(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.at++] = s.charCodeAt(i);
  }

  cell(v: Cell | Uint8Array): void {
    if (v === null || v === undefined) return;
    if (typeof v === 'number') {
      if (Number.isFinite(v)) this.ascii(String(v));
    } else if (v instanceof Uint8Array) this.bytes(v);
    else if (typeof v === 'string') this.text(v);
    else if (typeof v === 'bigint') this.ascii(String(v));
    else if (v instanceof Date) {
      const ms = v.getTime();
      let b = this.dates.get(ms);
      if (!b) {
        b = this.encoder.encode(dateText(v));
        this.dates.set(ms, b);
      }
      this.room(b.length);
      this.buf.set(b, this.at);
      this.at += b.length;
    } else this.text(String(v));
  }

  comma(): void {
    this.room(1);
    this.buf[this.at++] = COMMA;
  }

  newline(): void {
    this.room(1);
    this.buf[this.at++] = NL;
  }

  /** The bytes written so far (a view, not a copy). */
  done(): Uint8Array {
    return this.buf.subarray(0, this.at);
  }
}
