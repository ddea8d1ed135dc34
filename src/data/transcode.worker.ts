/// <reference lib="webworker" />
/**
 * Prepares a file for DuckDB off the main thread, chunk by chunk, reporting bytes done: decodes a non-UTF-8
 * encoding to UTF-8, and rewrites blank-separated lines as CSV.
 */
import { makeDecoder, type TextPrep } from './encoding';
import { blanksToCsv } from './sniff';

interface Request {
  file: Blob;
  prep: TextPrep;
}

const CHUNK = 4 * 1024 * 1024;

self.onmessage = async (ev: MessageEvent<Request>) => {
  const { file, prep } = ev.data;
  try {
    const decoder = makeDecoder(prep.encoding.encoding);
    const encoder = new TextEncoder();
    const parts: Uint8Array[] = [];
    let total = 0;
    let carry = '';
    for (let pos = prep.encoding.bom; pos < file.size; pos += CHUNK) {
      const last = pos + CHUNK >= file.size;
      const bytes = new Uint8Array(await file.slice(pos, Math.min(file.size, pos + CHUNK)).arrayBuffer());
      let text = decoder.decode(bytes, !last);
      if (prep.blanks) {
        const r = blanksToCsv(carry + text, last);
        text = r.csv;
        carry = r.rest;
      }
      const out = encoder.encode(text);
      parts.push(out);
      total += out.length;
      self.postMessage({ type: 'progress', done: Math.min(file.size, pos + CHUNK), size: file.size });
    }
    const result = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      result.set(p, at);
      at += p.length;
    }
    self.postMessage({ type: 'done', bytes: result }, [result.buffer]);
  } catch (e) {
    self.postMessage({ type: 'error', message: String((e as Error)?.message ?? e) });
  }
};
