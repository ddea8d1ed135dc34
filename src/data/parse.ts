/**
 * Number and date conventions: detected from the data, then applied in SQL.
 * Every parser is a SQL expression over a VARCHAR column so that the same rules run on 10 rows or 10M rows,
 * and a value that does not parse is NULL (counted as rejected), never silently zero.
 */

export const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
export const str = (s: string) => `'${s.replaceAll("'", "''")}'`;

export type DecimalMark = '.' | ',';

export interface NumberFormat {
  decimal: DecimalMark;
  percent: boolean;
  /**
   * Every sampled value was a plain number ("12.5", "-3"), so a bare cast parses the column. Decorated values
   * later in the file then show up as rejected rows and the column is re-parsed with the full parser.
   */
  plain?: boolean;
}

const CURRENCY = '$€£¥￥元';
const NUMBER_SHAPE = new RegExp(
  `^[-+(]?\\s*(?:[${CURRENCY}]|USD|EUR|GBP|RMB|CNY)?\\s*[-+]?\\d[\\d.,' \u00a0]*(?:[eE][-+]?\\d+)?\\s*%?\\s*(?:[${CURRENCY}]|USD|EUR|GBP|RMB|CNY)?\\s*[)-]?$`,
);

export function looksLikeNumber(v: string): boolean {
  return NUMBER_SHAPE.test(v.trim());
}

/** Chooses the decimal mark of a column from its sample values: "1.234,50" and "0,5" vote comma. */
export function detectNumberFormat(values: string[]): NumberFormat {
  let comma = 0;
  let point = 0;
  let percent = false;
  let plain = true;
  for (const raw of values) {
    const v = raw.trim();
    if (!v) continue;
    if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v)) plain = false;
    if (v.includes('%')) percent = true;
    const digits = v.replace(/[^\d.,]/g, '');
    if (/^\d{1,3}(\.\d{3})+(,\d*)?$/.test(digits) && digits.split('.').length > 2) comma += 2;
    else if (/^\d{1,3}(\.\d{3})+,\d*$/.test(digits)) comma += 2;
    else if (/^\d*,\d{1,2}$/.test(digits) || /^\d*,\d{4,}$/.test(digits)) comma += 1;
    else if (/^\d{1,3}(,\d{3})+(\.\d*)?$/.test(digits) && digits.split(',').length > 2) point += 2;
    else if (/^\d{1,3}(,\d{3})+\.\d*$/.test(digits)) point += 2;
    else if (/^\d*\.\d{1,2}$/.test(digits) || /^\d*\.\d{4,}$/.test(digits)) point += 1;
  }
  const decimal = comma > point ? ',' : '.';
  return { decimal, percent, plain: plain && decimal === '.' };
}

/**
 * The digits of a number (spaces and apostrophes, which group digits in either convention, already removed) that
 * fit a decimal mark: no grouping, groups of three (1,234,567.5), or Indian lakh grouping (12,34,567.00).
 */
const GROUPING: Record<DecimalMark, string> = {
  '.': '^(\\d+|\\d{1,3}(,\\d{3})+|\\d{1,2}(,\\d{2})*,\\d{3})?(\\.\\d*)?([eE]\\d+)?$',
  ',': '^(\\d+|\\d{1,3}(\\.\\d{3})+)?(,\\d*)?([eE]\\d+)?$',
};

/** SQL: the value looks like a number but its digit grouping does not fit the column's decimal mark. */
export function misgroupedSql(col: string, fmt: NumberFormat): string {
  const t = `trim(${ident(col)})`;
  const digits = `regexp_replace(${t}, '[^0-9.,eE]', '', 'g')`;
  return `(regexp_full_match(${t}, ${str(NUMBER_SHAPE.source)}) AND NOT regexp_full_match(${digits}, ${str(GROUPING[fmt.decimal])}))`;
}

/** SQL expression: the column parsed as DOUBLE (NULL when empty or malformed). */
export function numberSql(col: string, fmt: NumberFormat): string {
  if (fmt.plain) return `TRY_CAST(${ident(col)} AS DOUBLE)`;
  const t = `trim(${ident(col)})`;
  const digits = `regexp_replace(${t}, '[^0-9.,eE]', '', 'g')`;
  const plain = fmt.decimal === '.' ? `replace(${digits}, ',', '')` : `replace(replace(${digits}, '.', ''), ',', '.')`;
  const neg = `(${t} LIKE '(%)' OR ${t} LIKE '-%' OR ${t} LIKE '%-' OR regexp_matches(${t}, '^[^0-9]*-'))`;
  const pct = `(CASE WHEN contains(${t}, '%') THEN 0.01 ELSE 1 END)`;
  // Digits grouped another way than the column's convention ("1 234,56" among 1,234.56) are no number: read as
  // one they would be off by a factor of 100 or 1,000.
  const grouped = `regexp_full_match(${digits}, ${str(GROUPING[fmt.decimal])})`;
  const slow = `CASE WHEN regexp_full_match(${t}, ${str(NUMBER_SHAPE.source)}) AND ${grouped} THEN (CASE WHEN ${neg} THEN -1 ELSE 1 END) * TRY_CAST(${plain} AS DOUBLE) * ${pct} END`;
  // Plain numbers ("12.5", "-3") take the cheap cast; only decorated ones pay for the regex.
  return fmt.decimal === '.' ? `COALESCE(TRY_CAST(${ident(col)} AS DOUBLE), ${slow})` : slow;
}

export interface DateCandidate {
  id: string;
  /** strptime format, or "excel" for serial day numbers. */
  format: string;
  /** Shape the first token must have, so "%Y" cannot swallow a two-digit year. */
  shape: string;
  whole?: boolean;
  label: string;
}

export const DATE_CANDIDATES: DateCandidate[] = [
  { id: 'ymd', format: '%Y-%m-%d', shape: '^\\d{4}-\\d{1,2}-\\d{1,2}$', label: 'YYYY-MM-DD' },
  { id: 'ymd/', format: '%Y/%m/%d', shape: '^\\d{4}/\\d{1,2}/\\d{1,2}$', label: 'YYYY/MM/DD' },
  { id: 'mdY', format: '%m/%d/%Y', shape: '^\\d{1,2}/\\d{1,2}/\\d{4}$', label: 'M/D/YYYY (month first)' },
  { id: 'dmY', format: '%d/%m/%Y', shape: '^\\d{1,2}/\\d{1,2}/\\d{4}$', label: 'D/M/YYYY (day first)' },
  { id: 'mdy', format: '%m/%d/%y', shape: '^\\d{1,2}/\\d{1,2}/\\d{2}$', label: 'M/D/YY (month first)' },
  { id: 'dmy', format: '%d/%m/%y', shape: '^\\d{1,2}/\\d{1,2}/\\d{2}$', label: 'DD/MM/YY (day first)' },
  { id: 'dmY.', format: '%d.%m.%Y', shape: '^\\d{1,2}\\.\\d{1,2}\\.\\d{4}$', label: 'D.M.YYYY' },
  { id: 'dmy.', format: '%d.%m.%y', shape: '^\\d{1,2}\\.\\d{1,2}\\.\\d{2}$', label: 'D.M.YY' },
  { id: 'dmY-', format: '%d-%m-%Y', shape: '^\\d{1,2}-\\d{1,2}-\\d{4}$', label: 'D-M-YYYY' },
  { id: 'mdY-', format: '%m-%d-%Y', shape: '^\\d{1,2}-\\d{1,2}-\\d{4}$', label: 'M-D-YYYY' },
  { id: 'Ymd', format: '%Y%m%d', shape: '^(19|20)\\d{6}$', label: 'YYYYMMDD' },
  { id: 'dbY', format: '%d-%b-%Y', shape: '^\\d{1,2}-[A-Za-z]{3}-\\d{4}$', label: 'D-Mon-YYYY' },
  { id: 'dby', format: '%d-%b-%y', shape: '^\\d{1,2}-[A-Za-z]{3}-\\d{2}$', label: 'D-Mon-YY' },
  { id: 'dbY ', format: '%d %b %Y', shape: '^\\d{1,2} [A-Za-z]{3} \\d{4}$', whole: true, label: 'D Mon YYYY' },
  { id: 'cn', format: '%Y年%m月%d日', shape: '^\\d{4}年\\d{1,2}月\\d{1,2}日$', label: 'YYYY年M月D日' },
  { id: 'excel', format: 'excel', shape: '^\\d{5}(\\.\\d+)?$', label: 'Excel serial number' },
];

/** The date part of a value: "2/24/2003 0:00" and "2019-01-03T10:00:00" keep only their first token. */
function token(col: string, c: DateCandidate): string {
  const t = `trim(${ident(col)})`;
  return c.whole ? t : `regexp_extract(${t}, '^[^ T]+')`;
}

export function dateSql(col: string, c: DateCandidate): string {
  const tok = token(col, c);
  if (c.format === 'excel') {
    return `CASE WHEN regexp_full_match(${tok}, ${str(c.shape)}) AND TRY_CAST(${tok} AS DOUBLE) BETWEEN 1 AND 2958465 THEN DATE '1899-12-30' + CAST(floor(TRY_CAST(${tok} AS DOUBLE)) AS INTEGER) END`;
  }
  return `CASE WHEN regexp_full_match(${tok}, ${str(c.shape)}) THEN CAST(try_strptime(${tok}, ${str(c.format)}) AS DATE) END`;
}

/**
 * The per-row parser used once a format is chosen: no regex, so it costs little on millions of rows.
 * A value of another shape either fails to parse or lands outside 1900-2100 (a 2-digit year read by %Y),
 * so it is rejected just as the strict, shape-checked parser used for scoring would reject it.
 */
export function dateSqlFast(col: string, c: DateCandidate): string {
  const v = ident(col);
  let d: string;
  if (c.format === 'excel') {
    d = `CASE WHEN TRY_CAST(${v} AS DOUBLE) BETWEEN 1 AND 2958465 THEN DATE '1899-12-30' + CAST(floor(TRY_CAST(${v} AS DOUBLE)) AS INTEGER) END`;
  } else if (c.id === 'ymd') {
    d = `COALESCE(TRY_CAST(${v} AS DATE), CAST(TRY_CAST(${v} AS TIMESTAMP) AS DATE))`;
  } else {
    const tok = c.whole ? `trim(${v})` : `split_part(trim(${v}), ' ', 1)`;
    d = `CAST(try_strptime(${tok}, ${str(c.format)}) AS DATE)`;
  }
  return `(CASE WHEN year(${d}) BETWEEN 1900 AND 2100 THEN ${d} END)`;
}

/** One query that counts, for every candidate, how many distinct values it parses to a plausible date. */
export function dateScoreSql(table: string, col: string, candidates = DATE_CANDIDATES): string {
  const parts = candidates.map((c, i) => {
    const d = dateSql('v', c);
    return `count(*) FILTER (WHERE year(${d}) BETWEEN 1900 AND 2100) AS c${i}`;
  });
  return `SELECT count(*) AS n, ${parts.join(', ')} FROM (SELECT DISTINCT trim(${ident(col)}) AS v FROM ${table} WHERE trim(${ident(col)}) <> '')`;
}

export interface DateChoice {
  candidate: DateCandidate;
  /** Share of distinct non-empty values that parse. */
  share: number;
  /** Other candidates that parse exactly as many values (day/month order undecidable from the data). */
  alternatives: DateCandidate[];
}

export function chooseDate(scores: Record<string, number>, candidates = DATE_CANDIDATES): DateChoice | null {
  const n = Number(scores.n ?? 0);
  if (n === 0) return null;
  const counts = candidates.map((_, i) => Number(scores[`c${i}`] ?? 0));
  const best = Math.max(...counts);
  if (best === 0) return null;
  const tied = candidates.filter((_, i) => counts[i] === best);
  return { candidate: tied[0] as DateCandidate, share: best / n, alternatives: tied.slice(1) };
}
