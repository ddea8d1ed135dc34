/** Compressed inputs: .gz through DecompressionStream, .zip through fflate, each holding one of the other formats. */
import { unzipSync } from 'fflate';
import { type Choice, ReaderError } from './table';

export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  try {
    const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw new ReaderError(
      `The gzip data is damaged: ${(e as Error).message}`,
      'Compress the file again, or drop it unpacked.',
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
    throw new ReaderError(
      `The zip archive could not be opened: ${(e as Error).message}`,
      'Unpack it yourself and drop the file inside.',
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
