/// <reference lib="webworker" />
/** Decodes a non-UTF-8 file to UTF-8 off the main thread, chunk by chunk, reporting bytes done. */
import { type EncodingGuess, makeDecoder } from './encoding';

interface Request {
  file: Blob;
  guess: EncodingGuess;
}

const CHUNK = 4 * 1024 * 1024;

self.onmessage = async (ev: MessageEvent<Request>) => {
  const { file, guess } = ev.data;
  try {
    const decoder = makeDecoder(guess.encoding);
    const encoder = new TextEncoder();
    const parts: Uint8Array[] = [];
    let total = 0;
    for (let pos = guess.bom; pos < file.size; pos += CHUNK) {
      const bytes = new Uint8Array(await file.slice(pos, Math.min(file.size, pos + CHUNK)).arrayBuffer());
      const out = encoder.encode(decoder.decode(bytes, pos + CHUNK < file.size));
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
