/// <reference lib="webworker" />
/** The line scan (line-scan.ts) off the main thread: a pass over every byte of a file of up to a gigabyte. */
import { type ScanOptions, scanLines } from './line-scan';

self.onmessage = async (ev: MessageEvent<{ file: Blob; o: ScanOptions }>) => {
  const { file, o } = ev.data;
  try {
    const source = {
      name: '',
      size: file.size,
      slice: async (a: number, b: number) => new Uint8Array(await file.slice(a, b).arrayBuffer()),
    };
    self.postMessage({ type: 'done', scan: await scanLines(source, o) });
  } catch (e) {
    self.postMessage({ type: 'error', message: String((e as Error)?.message ?? e) });
  }
};
