/** Compressed inputs: .gz through DecompressionStream, .zip through fflate, each holding one of the other formats. */
import { unzipSync } from 'fflate';
import { type Choice, ReaderError } from './table';

export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  try {
    const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch {
    // The browser's decompressor says only "Failed to fetch"; a gzip file that stops early is by far the usual cause.
    throw new ReaderError(
      'The gzip archive is cut short or damaged: it ends before its data does.',
      'Copy or download the file again (it was not saved completely), or compress it again, or drop it unpacked.',
    );
  }
}

const DATA = /\.(csv|tsv|txt|psv|xlsx|parquet|json|ndjson|jsonl)$/i;

/** A data file inside a zip: the one asked for, else the largest (the others are offered as a choice). */
export function unzipEntry(bytes: Uint8Array, choice?: string): { name: string; bytes: Uint8Array; choice?: Choice } {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: (f) => !f.name.endsWith('/') && !f.name.startsWith('__MACOSX/') });
  } catch (e) {
    // A zip's directory is at its end: an archive cut short has none.
    const end = bytes.subarray(Math.max(0, bytes.length - 65557));
    let directory = false;
    for (let i = end.length - 22; i >= 0 && !directory; i--)
      directory = end[i] === 0x50 && end[i + 1] === 0x4b && end[i + 2] === 0x05 && end[i + 3] === 0x06;
    throw new ReaderError(
      directory
        ? `The zip archive is damaged: ${(e as Error).message}`
        : 'The zip archive is cut short: it ends before its table of contents.',
      'Copy or download the archive again (it was not saved completely), or unpack it and drop the file inside.',
    );
  }
  const names = Object.keys(files).filter((n) => DATA.test(n));
  if (!names.length) {
    throw new ReaderError('The zip archive holds no CSV, Excel, Parquet or JSON file.', 'Drop the data file itself.');
  }
  const largest = names.reduce((a, b) => ((files[b]?.length ?? 0) > (files[a]?.length ?? 0) ? b : a));
  const name = choice && names.includes(choice) ? choice : largest;
  return {
    name,
    bytes: files[name] as Uint8Array,
    choice: names.length > 1 ? { what: 'file', options: names, chosen: name } : undefined,
  };
}
