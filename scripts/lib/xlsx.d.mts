/** Writes a minimal .xlsx (inline strings, numbers). */
export function makeXlsx(sheets: { name: string; rows: (string | number | null)[][]; merges?: string[] }[]): Uint8Array;
