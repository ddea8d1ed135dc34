/**
 * A fingerprint of a file from its size and a few sampled blocks: enough to tell whether a recipient dropped the
 * file a link was made with, without hashing a 400 MB file. Not a cryptographic hash (none is needed: nothing is
 * secret in it, and crypto.subtle is missing on plain-http hosts).
 */
const BLOCK = 4096;
const BLOCKS = 8;

export async function fingerprint(file: Blob): Promise<string> {
  const n = file.size;
  let h1 = 0x811c9dc5 ^ (n >>> 0);
  let h2 = 0x01000193 ^ Math.floor(n / 2 ** 32);
  const starts = new Set<number>();
  for (let i = 0; i < BLOCKS; i++) starts.add(Math.max(0, Math.floor(((n - BLOCK) * i) / (BLOCKS - 1))));
  for (const start of [...starts].sort((a, b) => a - b)) {
    const bytes = new Uint8Array(await file.slice(start, start + BLOCK).arrayBuffer());
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i] as number;
      h1 = Math.imul(h1 ^ b, 0x01000193);
      h2 = Math.imul(h2 ^ b, 0x5bd1e995) ^ (h2 >>> 15);
    }
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}
