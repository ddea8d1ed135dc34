/**
 * Text encoding detection and transcoding to UTF-8.
 * duckdb-wasm's read_csv only decodes UTF-8/UTF-16/latin-1, and latin-1 silently garbles Windows code pages,
 * so every non-UTF-8 file is decoded here (in a worker for large files) before DuckDB sees the bytes.
 */

import { blanksToCsv } from './sniff';

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | 'cp850' | 'gb18030';

export interface EncodingGuess {
  encoding: Encoding;
  bom: number;
  /** Why this encoding was chosen, shown to the user. */
  reason: string;
}

// CP850 (DOS Western Europe) upper half. TextDecoder has no CP850, and CP437 shares the accented letters
// 0x80-0xA5 that matter for names; the rest are box-drawing characters either way.
const CP850_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜø£Ø×ƒáíóúñÑªº¿®¬½¼¡«»░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐└┴┬├─┼ãÃ╚╔╩╦╠═╬¤ðÐÊËÈıÍÎÏ┘┌█▄¦Ì▀ÓßÔÒõÕµþÞÚÛÙýÝ¯´\u00AD±‗¾¶§÷¸°¨·¹³²■\u00A0';

export function decodeCp850(bytes: Uint8Array): string {
  let out = '';
  const chunk: string[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    chunk.push(b < 0x80 ? String.fromCharCode(b) : (CP850_HIGH[b - 0x80] as string));
    if (chunk.length === 8192) {
      out += chunk.join('');
      chunk.length = 0;
    }
  }
  return out + chunk.join('');
}

/** A streaming-capable decoder for any supported encoding. */
export interface ChunkDecoder {
  decode(bytes: Uint8Array, stream: boolean): string;
}

export function makeDecoder(encoding: Encoding): ChunkDecoder {
  if (encoding === 'cp850') return { decode: (bytes) => decodeCp850(bytes) };
  const td = new TextDecoder(encoding, { fatal: false, ignoreBOM: false });
  return { decode: (bytes, stream) => td.decode(bytes, { stream }) };
}

function isValidUtf8(bytes: Uint8Array, truncated: boolean): boolean {
  // A sample cut mid-character is still UTF-8: drop up to 3 trailing continuation bytes before checking.
  let end = bytes.length;
  if (truncated) {
    let back = 0;
    while (back < 4 && end - back - 1 >= 0 && ((bytes[end - back - 1] as number) & 0xc0) === 0x80) back++;
    const lead = end - back - 1;
    if (lead >= 0 && (bytes[lead] as number) >= 0xc0) end = lead;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/** Scores a decoding by how plausible its non-ASCII characters are as letters inside words. */
function letterScore(text: string): number {
  let score = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    const ch = text[i] as string;
    if (/\p{L}/u.test(ch)) {
      score += 1;
      const prev = text[i - 1] ?? ' ';
      // A lowercase accented letter after a lowercase letter ("vägen") is far likelier than an uppercase one.
      if (/[a-z]/.test(prev) && ch === ch.toLowerCase()) score += 1;
      if (/[a-z]/.test(prev) && ch !== ch.toLowerCase()) score -= 1;
    } else if (c === 0xfffd || (c >= 0x2500 && c <= 0x25ff)) {
      score -= 2;
    } else {
      score -= 1;
    }
  }
  return score;
}

export function detectEncoding(sample: Uint8Array, truncated = false): EncodingGuess {
  const [b0, b1, b2] = [sample[0], sample[1], sample[2]];
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { encoding: 'utf-8', bom: 3, reason: 'UTF-8 byte-order mark' };
  if (b0 === 0xff && b1 === 0xfe) return { encoding: 'utf-16le', bom: 2, reason: 'UTF-16 LE byte-order mark' };
  if (b0 === 0xfe && b1 === 0xff) return { encoding: 'utf-16be', bom: 2, reason: 'UTF-16 BE byte-order mark' };
  // UTF-16 without BOM: every other byte is zero in mostly-ASCII text.
  if (sample.length >= 4) {
    let evenZeros = 0;
    let oddZeros = 0;
    const n = Math.min(sample.length, 4096);
    for (let i = 0; i < n; i++) if (sample[i] === 0) i % 2 === 0 ? evenZeros++ : oddZeros++;
    if (oddZeros > n / 4 && evenZeros < n / 50)
      return { encoding: 'utf-16le', bom: 0, reason: 'UTF-16 LE (zero bytes)' };
    if (evenZeros > n / 4 && oddZeros < n / 50)
      return { encoding: 'utf-16be', bom: 0, reason: 'UTF-16 BE (zero bytes)' };
  }
  let ascii = true;
  for (let i = 0; i < sample.length; i++) {
    if ((sample[i] as number) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return { encoding: 'utf-8', bom: 0, reason: 'plain ASCII' };
  if (isValidUtf8(sample, truncated)) return { encoding: 'utf-8', bom: 0, reason: 'valid UTF-8' };
  try {
    const gb = new TextDecoder('gb18030', { fatal: true }).decode(sample);
    const han = gb.match(/\p{Script=Han}/gu)?.length ?? 0;
    const nonAscii = [...gb].filter((c) => c.charCodeAt(0) >= 0x80).length;
    if (han > 0 && han >= nonAscii * 0.6) return { encoding: 'gb18030', bom: 0, reason: 'Chinese GBK/GB18030' };
  } catch {
    // not GB18030
  }
  const win = letterScore(new TextDecoder('windows-1252').decode(sample));
  const dos = letterScore(decodeCp850(sample));
  return dos > win
    ? { encoding: 'cp850', bom: 0, reason: 'DOS code page 850/437 (accented letters fit)' }
    : { encoding: 'windows-1252', bom: 0, reason: 'Windows-1252 (Western European)' };
}

/** How a file's bytes must be prepared before DuckDB reads them. */
export interface TextPrep {
  encoding: EncodingGuess;
  /** Fields separated by runs of blanks: rewritten as CSV. */
  blanks: boolean;
}

export const needsPrep = (p: TextPrep) => p.encoding.encoding !== 'utf-8' || p.blanks;

/** Whole-buffer preparation; the browser runs it chunk by chunk in a worker, tests call it directly. */
export function prepareText(bytes: Uint8Array, prep: TextPrep): Uint8Array {
  if (!needsPrep(prep)) return prep.encoding.bom ? bytes.subarray(prep.encoding.bom) : bytes;
  const text = makeDecoder(prep.encoding.encoding).decode(bytes.subarray(prep.encoding.bom), false);
  return new TextEncoder().encode(prep.blanks ? blanksToCsv(text).csv : text);
}
