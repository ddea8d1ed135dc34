/** Data quality: how the file was read, which column serves each role, and what was rejected (downloadable). */

import { type Consistency, consistency } from '../analysis/consistency';
import { dateCandidate } from '../data/canonical';
import type { Engine } from '../data/engine';
import { readColumns } from '../data/file-columns';
import type { DatasetInfo } from '../data/ingest';
import { grainText } from '../data/parquet-load';
import { SOURCE_FILE } from '../data/related';
import { ROLE_INFO, ROLES } from '../data/roles';
import { downloadText, toCsv } from '../export/csv';
import { h } from '../ui/dom';
import { fmt } from '../ui/format';
import { tableWrap } from '../ui/table';
import { sectionFrame } from './section-frame';
import type { View } from './view';

const DELIM: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };

/** How the file was read: it describes the file, so no filter applies to it. */
export const qualityView: View<Consistency> = {
  id: 'quality',
  reads: () => null,
  filtered: false,
  load: ({ env }) =>
    consistency(
      env.engine,
      env.info.mapping,
      env.info.columns.some((c) => c.name === SOURCE_FILE) ? SOURCE_FILE : undefined,
    ),
  render: (c, input, act) => renderQuality(c, input.env.engine, input.env.info, act.openMapping),
};

function renderQuality(c: Consistency, engine: Engine, info: DatasetInfo, openMapping: () => void): HTMLElement {
  const date = dateCandidate(info.formats.date);
  const alternatives = (info.formats.dateAlternatives ?? []).map((id) => dateCandidate(id)?.label).filter(Boolean);
  // A file of typed columns (Parquet) has no encoding or separator to speak of.
  const typedFile = info.typed === 'parquet';
  const facts = h(
    'ul',
    { class: 'facts' },
    h('li', {}, `File: ${info.fileName}${info.fileSize ? ` (${fmt.bytes(info.fileSize)})` : ''}`),
    typedFile
      ? h('li', {}, `Format: ${info.encoding.reason}`)
      : h('li', { class: info.encoding.repaired ? 'warn' : null }, `Encoding: ${info.encoding.reason}`),
    info.columnsRead && info.columnsRead < info.columns.length
      ? h(
          'li',
          {},
          `Columns read: ${fmt.int(info.columnsRead)} of ${fmt.int(info.columns.length)} (those with a role, and the first). The others are read from the file when a filter, a new mapping or a download asks for them.`,
        )
      : null,
    ...info.warnings.map((w) => h('li', { class: 'warn' }, w)),
    typedFile
      ? null
      : h(
          'li',
          {},
          `Separator: ${DELIM[info.dialect.delimiter] ?? info.dialect.delimiter}; ${info.dialect.header ? (info.dialect.skip ? `header on line ${info.dialect.skip + 1}, below a title` : 'first row is the header') : 'no header row'}`,
        ),
    date
      ? h(
          'li',
          { class: alternatives.length ? 'warn' : null },
          `Dates read as ${date.label}`,
          alternatives.length
            ? ` — ambiguous: the values also fit ${alternatives.join(', ')}. Check in the column mapping.`
            : ` (${fmt.pct(info.formats.dateShare ?? 1)} of distinct values fit)`,
        )
      : null,
    c.amountVsPrice
      ? h(
          'li',
          { class: 'warn' },
          `On ${fmt.int(c.amountVsPrice)} of ${fmt.int(c.lines)} lines the net revenue ("${info.mapping.amount}") differs from unit price × quantity ("${info.mapping.unit_price}" × "${info.mapping.quantity}"). Revenue figures use "${info.mapping.amount}"; the price waterfall uses the unit prices.`,
        )
      : null,
    c.aboveList
      ? h(
          'li',
          {},
          `${fmt.int(c.aboveList)} lines are priced above their list price ("${info.mapping.list_price}"): they show as negative discounts.`,
        )
      : null,
    c.files.length
      ? h(
          'li',
          {},
          `Appended from ${fmt.count(c.files.length, 'file')}: `,
          c.files
            .map((f) => `${f.file} (${fmt.count(f.lines, 'line')} used${f.first ? `, ${f.first} to ${f.last}` : ''})`)
            .join('; '),
        )
      : null,
    info.formats.discountKind
      ? h(
          'li',
          {},
          `Discount read as ${info.formats.discountKind === 'rate' ? 'a rate of the gross price' : 'an amount'}`,
        )
      : null,
  );
  const mapped = ROLES.filter((r) => info.mapping[r]);
  const roleTable = h(
    'table',
    { class: 'mapping-table' },
    h('caption', {}, 'Columns used'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Role'),
        h('th', { scope: 'col' }, 'Column'),
        h('th', { scope: 'col' }, 'Sample values'),
      ),
    ),
    h(
      'tbody',
      {},
      ...mapped.map((r) =>
        h(
          'tr',
          {},
          h('td', {}, ROLE_INFO[r].label),
          h('td', {}, info.mapping[r] as string),
          h('td', { class: 'samples' }, (info.samples[info.mapping[r] as string] ?? []).slice(0, 3).join(' · ')),
        ),
      ),
    ),
  );
  const download = (view: 'rejected_rows' | 'skipped_rows', what: string, label: string) =>
    h(
      'button',
      {
        type: 'button',
        onclick: async (ev: Event) => {
          const button = ev.currentTarget as HTMLButtonElement;
          // The download holds every column of the file: those the load left out are read first.
          button.disabled = true;
          button.textContent = 'Reading the file\u2019s other columns…';
          try {
            await readColumns(engine, 'all');
          } catch (e) {
            button.textContent = String((e as Error).message);
            return;
          } finally {
            button.disabled = false;
          }
          button.textContent = label;
          const rows = await engine.query<Record<string, string | number | null>>(
            `SELECT * FROM ${view} ORDER BY line`,
          );
          const cols = rows[0] ? Object.keys(rows[0]) : ['line', 'reason'];
          downloadText(
            `${info.fileName.replace(/\.[^.]+$/, '')}-${what}.csv`,
            toCsv(
              cols,
              rows.map((r) => cols.map((c) => r[c])),
            ),
          );
        },
      },
      label,
    );
  const reasons = (list: { reason: string; rows: number }[], noun: string) =>
    h('ul', {}, ...list.map((r) => h('li', {}, `${r.reason}: ${fmt.count(r.rows, noun)}`)));
  const rejected = h('div', { class: 'rejected' });
  if (info.summary) {
    // The summarize run read the files and left these lines out; the summary holds their counts, not the lines.
    const s = info.summary.provenance.sources;
    rejected.append(
      h('h3', {}, `Summarised from ${fmt.count(s.length, 'file')}`),
      h(
        'ul',
        {},
        ...s.map((x) =>
          h(
            'li',
            {},
            x.rowsRejected == null
              ? `${String(x.file)}: ${fmt.count(Number(x.rowsLoaded), 'line')} summarised elsewhere (sql/summary.sql; rejected and skipped lines not known)`
              : `${String(x.file)}: ${fmt.count(Number(x.rowsRead), 'line')} read, ${fmt.int(Number(x.rowsLoaded))} used, ${fmt.int(Number(x.rowsRejected))} rejected, ${fmt.int(Number(x.rowsSkipped))} skipped`,
          ),
        ),
      ),
      h(
        'p',
        { class: 'note' },
        `${fmt.count(info.summary.groups, 'group')} of ${grainText(info.summary.provenance, info.mapping)}. The rejected and skipped lines are in the source files: summarise them again after fixing, or drop a file itself here to see and download its rejected lines.`,
      ),
    );
  } else if (info.rowsRejected > 0) {
    rejected.append(
      h('h3', {}, `${fmt.count(info.rowsRejected, 'row')} rejected`),
      reasons(info.rejectedByReason, 'row'),
      download('rejected_rows', 'rejected-rows', 'Download rejected rows (CSV)'),
    );
  } else rejected.append(h('p', {}, 'No rows were rejected.'));
  if (info.rowsSkipped > 0 && !info.summary) {
    rejected.append(
      h('h3', {}, `${fmt.count(info.rowsSkipped, 'line')} skipped`),
      h('p', { class: 'note' }, 'Lines that are not order lines. They are left out of every figure.'),
      reasons(info.skippedByReason, 'line'),
      download('skipped_rows', 'skipped-lines', 'Download skipped lines (CSV)'),
    );
  }
  return sectionFrame(
    'quality',
    h(
      'div',
      { class: 'quality-grid' },
      h('div', {}, facts, h('button', { type: 'button', onclick: openMapping }, 'Change column mapping…')),
      tableWrap(roleTable, 'Columns used'),
      rejected,
    ),
  );
}
