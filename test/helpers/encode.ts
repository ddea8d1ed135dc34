/** Encoders for test fixtures in legacy code pages, built by inverting the platform's decoders. */
import { decodeCp850 } from '../../src/data/encoding';

function invert(label: string, ranges: [number, number][][]): Map<string, number[]> {
  const map = new Map<string, number[]>();
  const td = new TextDecoder(label, { fatal: true });
  const [first, second] = ranges;
  for (const [a0, a1] of first ?? []) {
    for (let a = a0; a <= a1; a++) {
      if (!second) {
        try {
          const ch = td.decode(new Uint8Array([a]));
          if (!map.has(ch)) map.set(ch, [a]);
        } catch {}
        continue;
      }
      for (const [b0, b1] of second) {
        for (let b = b0; b <= b1; b++) {
          try {
            const ch = td.decode(new Uint8Array([a, b]));
            if ([...ch].length === 1 && !map.has(ch)) map.set(ch, [a, b]);
          } catch {}
        }
      }
    }
  }
  return map;
}

let gbk: Map<string, number[]> | null = null;
let cp1252: Map<string, number[]> | null = null;

function encodeWith(map: Map<string, number[]>, text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (code < 0x80) out.push(code);
    else {
      const bytes = map.get(ch);
      if (!bytes) throw new Error(`cannot encode ${ch}`);
      out.push(...bytes);
    }
  }
  return new Uint8Array(out);
}

export function encodeGbk(text: string): Uint8Array {
  gbk ??= invert('gbk', [
    [[0x81, 0xfe]],
    [
      [0x40, 0x7e],
      [0x80, 0xfe],
    ],
  ]);
  return encodeWith(gbk, text);
}

export function encodeWindows1252(text: string): Uint8Array {
  cp1252 ??= invert('windows-1252', [[[0x80, 0xff]]]);
  return encodeWith(cp1252, text);
}

export function encodeUtf16le(text: string, bom = true): Uint8Array {
  const out = new Uint8Array((text.length + (bom ? 1 : 0)) * 2);
  let i = 0;
  if (bom) {
    out[i++] = 0xff;
    out[i++] = 0xfe;
  }
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    out[i++] = c & 0xff;
    out[i++] = c >> 8;
  }
  return out;
}

let big5: Map<string, number[]> | null = null;
let sjis: Map<string, number[]> | null = null;

export function encodeBig5(text: string): Uint8Array {
  big5 ??= invert('big5', [
    [[0xa1, 0xf9]],
    [
      [0x40, 0x7e],
      [0xa1, 0xfe],
    ],
  ]);
  return encodeWith(big5, text);
}

export function encodeShiftJis(text: string): Uint8Array {
  sjis ??= invert('shift_jis', [
    [
      [0x81, 0x9f],
      [0xe0, 0xef],
    ],
    [
      [0x40, 0x7e],
      [0x80, 0xfc],
    ],
  ]);
  return encodeWith(sjis, text);
}

export function encodeCp850(text: string): Uint8Array {
  const map = new Map<string, number[]>();
  for (let b = 0x80; b <= 0xff; b++) map.set(decodeCp850(new Uint8Array([b])), [b]);
  return encodeWith(map, text);
}

/** Any single-byte code page the platform decodes (windows-1250, windows-1251, ...). */
export function encodeSingleByte(label: string, text: string): Uint8Array {
  return encodeWith(invert(label, [[[0x80, 0xff]]]), text);
}
