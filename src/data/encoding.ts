/**
 * Text encoding detection and transcoding to UTF-8.
 * duckdb-wasm's read_csv only decodes UTF-8/UTF-16/latin-1, and latin-1 silently garbles Windows code pages,
 * so every non-UTF-8 file is decoded here (in a worker for large files) before DuckDB sees the bytes.
 */

import { analyse as chardetAnalyse } from 'chardet';
import { blanksToCsv } from './sniff';

export type Encoding =
  | 'utf-8'
  | 'utf-16le'
  | 'utf-16be'
  | 'windows-1252'
  | 'windows-1250'
  | 'windows-1251'
  | 'cp850'
  | 'gb18030'
  | 'big5'
  | 'shift_jis'
  | 'euc-jp'
  | 'euc-kr';

/** The encodings a user can choose in the mapping dialog, with their names. */
export const ENCODING_NAMES: Record<Encoding, string> = {
  'utf-8': 'UTF-8 (Unicode)',
  'utf-16le': 'UTF-16 LE (Unicode)',
  'utf-16be': 'UTF-16 BE (Unicode)',
  'windows-1252': 'Windows-1252 (Western European)',
  'windows-1250': 'Windows-1250 (Central European)',
  'windows-1251': 'Windows-1251 (Cyrillic)',
  cp850: 'DOS code page 850/437 (Western European)',
  gb18030: 'GB18030 / GBK (Simplified Chinese)',
  big5: 'Big5 (Traditional Chinese: Taiwan, Hong Kong)',
  shift_jis: 'Shift_JIS (Japanese)',
  'euc-jp': 'EUC-JP (Japanese)',
  'euc-kr': 'EUC-KR (Korean)',
};

export interface EncodingGuess {
  encoding: Encoding;
  bom: number;
  /** Why this encoding was chosen, shown to the user. */
  reason: string;
  /** UTF-8 with a few invalid bytes: those bytes become U+FFFD and their lines are reported. */
  repaired?: boolean;
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

/** The detector's names for the encodings read here (ISO-8859-1 files are nearly always Windows-1252 in practice). */
const DETECTED: Record<string, Encoding> = {
  GB18030: 'gb18030',
  Big5: 'big5',
  Shift_JIS: 'shift_jis',
  'EUC-JP': 'euc-jp',
  'EUC-KR': 'euc-kr',
  'ISO-8859-1': 'windows-1252',
  'windows-1252': 'windows-1252',
  'ISO-8859-2': 'windows-1250',
  'windows-1250': 'windows-1250',
  'ISO-8859-5': 'windows-1251',
  'windows-1251': 'windows-1251',
};

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff01-\uff5e]/u;
const LATIN = /\p{Script=Latin}/u;
const LETTER = /\p{L}/u;
const ASCII_LETTER = /[A-Za-z]/;
// Punctuation that Western exports really contain (curly quotes, dashes, euro, ellipsis, degree, middle dot...).
const COMMON_MARKS = new Set('’‘“”–—€…°·×«»£¥§©®™ ');

/**
 * How plausible a decoding is, per non-ASCII character: a letter inside a word of its own script is likely, a
 * CJK character in a run of them is likely, a CJK or Cyrillic character squeezed between two ASCII letters
 * ("M乙ler", the trace of a Latin byte read as the lead of a pair) is not, and neither are stray symbols and
 * control characters.
 */
function plausibility(text: string): { score: number; chars: number } {
  let score = 0;
  let chars = 0;
  const cs = [...text];
  for (let i = 0; i < cs.length; i++) {
    const ch = cs[i] as string;
    const c = ch.codePointAt(0) as number;
    if (c < 0x80) continue;
    chars++;
    const prev = cs[i - 1] ?? ' ';
    const next = cs[i + 1] ?? ' ';
    const squeezed = ASCII_LETTER.test(prev) && ASCII_LETTER.test(next);
    if (c === 0xfffd) score -= 3;
    else if (CJK.test(ch)) score += squeezed ? -2 : 1;
    else if (LETTER.test(ch)) {
      if (!LATIN.test(ch)) score += squeezed || ASCII_LETTER.test(prev) ? -2 : 1;
      else {
        score += 1;
        // A lowercase accented letter after a lowercase letter ("vägen") is far likelier than an uppercase one.
        if (/[a-z]/.test(prev)) score += ch === ch.toLowerCase() ? 1 : -1;
      }
    } else if (COMMON_MARKS.has(ch)) score += 0.5;
    else if (c >= 0x2500 && c <= 0x25ff) score -= 2;
    else score -= 1;
  }
  return { score, chars };
}

function decodeAs(sample: Uint8Array, e: Encoding): string {
  return e === 'cp850' ? decodeCp850(sample) : new TextDecoder(e).decode(sample);
}

/**
 * Counts the multi-byte sequences that are valid UTF-8 and the bytes that are not. A file whose accented
 * letters are nearly all valid UTF-8 is UTF-8 with a few damaged bytes, not a file in another code page.
 */
export function utf8Census(bytes: Uint8Array): { valid: number; invalid: number; firstInvalid: number } {
  let valid = 0;
  let invalid = 0;
  let firstInvalid = -1;
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const b = bytes[i] as number;
    if (b < 0x80) continue;
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0;
    // A sequence cut by the end of the sample is evidence of nothing.
    if (need && i + need >= n) break;
    let ok = need > 0;
    for (let k = 1; ok && k <= need; k++) ok = ((bytes[i + k] as number) & 0xc0) === 0x80;
    if (ok) {
      valid++;
      i += need;
    } else {
      invalid++;
      if (firstInvalid < 0) firstInvalid = i;
    }
  }
  return { valid, invalid, firstInvalid };
}

/** Mostly valid UTF-8: at least 4 valid sequences for each invalid byte. */
export const mostlyUtf8 = (c: { valid: number; invalid: number }) => c.valid >= 2 && c.valid >= 4 * c.invalid;

export function detectEncoding(sample: Uint8Array, truncated = false): EncodingGuess {
  const [b0, b1, b2] = [sample[0], sample[1], sample[2]];
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) {
    const census = utf8Census(sample.subarray(3));
    return census.invalid
      ? { encoding: 'utf-8', bom: 3, reason: 'UTF-8 byte-order mark; a few invalid bytes replaced', repaired: true }
      : { encoding: 'utf-8', bom: 3, reason: 'UTF-8 byte-order mark' };
  }
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
  const census = utf8Census(sample);
  if (mostlyUtf8(census))
    return {
      encoding: 'utf-8',
      bom: 0,
      reason: `UTF-8; ${census.invalid} invalid byte${census.invalid === 1 ? '' : 's'} replaced`,
      repaired: true,
    };
  return legacyEncoding(sample);
}

/**
 * A legacy code page: the detector (chardet, a port of ICU's) proposes candidates with a confidence, and each is
 * judged by how plausible its decoding reads. The detector alone mistakes a Chinese export whose only Chinese is
 * the header for Latin-1, and cannot tell DOS CP850 from Windows-1252; the plausibility alone cannot tell the CJK
 * encodings apart, which the detector's character statistics do.
 */
export function legacyEncoding(sample: Uint8Array): EncodingGuess {
  const confidence = new Map<Encoding, number>();
  for (const m of chardetAnalyse(sample)) {
    const e = DETECTED[m.name];
    if (e && !confidence.has(e)) confidence.set(e, m.confidence);
  }
  for (const e of ['windows-1252', 'cp850', 'gb18030'] as Encoding[]) if (!confidence.has(e)) confidence.set(e, 0);
  let best: { e: Encoding; score: number } | null = null;
  for (const [e, conf] of confidence) {
    const { score, chars } = plausibility(decodeAs(sample, e));
    const total = (chars ? score / chars : 0) + conf / 100 + (e === 'windows-1252' ? 0.05 : 0);
    if (!best || total > best.score) best = { e, score: total };
  }
  const e = (best as { e: Encoding }).e;
  return { encoding: e, bom: 0, reason: ENCODING_NAMES[e] };
}

/** The encoding the user chose in the mapping dialog. */
export function chosenEncoding(e: Encoding, sample: Uint8Array): EncodingGuess {
  const bom =
    e === 'utf-8' && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf
      ? 3
      : e.startsWith('utf-16') &&
          ((sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff))
        ? 2
        : 0;
  const repaired = e === 'utf-8' && !isValidUtf8(sample.subarray(bom), true);
  return { encoding: e, bom, reason: `${ENCODING_NAMES[e]}, chosen by you`, repaired };
}

/** How a file's bytes must be prepared before DuckDB reads them. */
export interface TextPrep {
  encoding: EncodingGuess;
  /** Fields separated by runs of blanks: rewritten as CSV. */
  blanks: boolean;
}

export const needsPrep = (p: TextPrep) => p.encoding.encoding !== 'utf-8' || !!p.encoding.repaired || p.blanks;

/** Whole-buffer preparation; the browser runs it chunk by chunk in a worker, tests call it directly. */
export function prepareText(bytes: Uint8Array, prep: TextPrep): Uint8Array {
  if (!needsPrep(prep)) return prep.encoding.bom ? bytes.subarray(prep.encoding.bom) : bytes;
  const text = makeDecoder(prep.encoding.encoding).decode(bytes.subarray(prep.encoding.bom), false);
  return new TextEncoder().encode(prep.blanks ? blanksToCsv(text).csv : text);
}
