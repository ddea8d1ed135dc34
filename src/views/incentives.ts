/** Incentives and price realisation: spend, discount depth bands, break-even, price waterfall, programme ROI. */
import * as Plot from '@observablehq/plot';
import type { BridgeStep } from '../analysis/bridge';
import type { Filters } from '../analysis/filters';
import {
  type Band,
  bandSentence,
  breakEvenVolume,
  discountBands,
  incentiveSpend,
  pocketBand,
  priceWaterfall,
  type Waterfall,
  type WaterfallDim,
} from '../analysis/incentives';
import {
  type ProgrammeRoi,
  programmeCosts,
  programmeRoi,
  programmeSource,
  targetAttainment,
} from '../analysis/programmes';
import { chartStyle, palette } from '../charts/palette';
import { logTicks } from '../charts/ticks';
import { waterfallChart } from '../charts/waterfall';
import type { Engine } from '../data/engine';
import type { DatasetInfo } from '../data/ingest';
import { deferred } from '../ui/deferred';
import { h } from '../ui/dom';
import { fileInput } from '../ui/file-input';
import { fmt } from '../ui/format';
import { type KpiSpec, kpiGrid } from '../ui/kpi';
import { type Column, dataTable } from '../ui/table';

export interface IncentiveViewState {
  dim: WaterfallDim;
  value?: string;
  /** Break-even calculator inputs, as fractions. */
  discount: number;
  margin?: number;
}

export interface IncentiveViewContext {
  engine: Engine;
  info: DatasetInfo;
  filters: Filters;
  state: IncentiveViewState;
  onState: (s: IncentiveViewState) => void;
  openMapping: () => void;
  /** Loads a programme file picked by the user. */
  onProgrammeFile: (f: File) => void;
  programmeNote?: string;
}

export async function renderIncentives(c: IncentiveViewContext): Promise<HTMLElement> {
  const { engine, filters, info } = c;
  const section = h(
    'section',
    { class: 'panel', id: 'incentives', 'aria-labelledby': 'incentives-h' },
    h('h2', { id: 'incentives-h' }, 'Incentives and price realisation'),
  );
  const spend = await incentiveSpend(engine, filters);
  const bands = await discountBands(engine, filters);
  const wf = await priceWaterfall(engine, filters);
  if (!spend && !bands && !wf) {
    section.append(
      h(
        'p',
        { class: 'note', role: 'status' },
        'This file has no discount, list price, gross amount, rebate or promotion column, so incentive spend and price realisation cannot be computed. Map one of them to see whether discounts pay back.',
      ),
      h('button', { type: 'button', onclick: c.openMapping }, 'Open the column mapping…'),
    );
    section.append(await programmesPanel(c));
    return section;
  }
  const kpis: KpiSpec[] = [];
  if (spend) {
    kpis.push({
      // Its data-kpi (incentive_cost_total) is the overview's card: a headline figure.
      label: 'Incentive spend',
      value: spend.total,
      display: fmt.moneyShort(spend.total),
      title: fmt.money(spend.total),
      sub: spend.gross ? `${fmt.pct(spend.total / spend.gross)} of gross sales` : undefined,
    });
    if (spend.discount !== null)
      kpis.push({
        name: 'discount_cost_total',
        label: 'On-invoice discounts',
        value: spend.discount,
        display: fmt.moneyShort(spend.discount),
        title: fmt.money(spend.discount),
      });
    if (spend.rebate !== null)
      kpis.push({
        name: 'rebate_cost_total',
        label: 'Rebates',
        value: spend.rebate,
        display: fmt.moneyShort(spend.rebate),
        title: fmt.money(spend.rebate),
      });
    if (spend.promo !== null)
      kpis.push({
        name: 'promo_cost_total',
        label: 'Co-op / promotions',
        value: spend.promo,
        display: fmt.moneyShort(spend.promo),
        title: fmt.money(spend.promo),
      });
  }
  const programmes = await programmeCosts(engine);
  if (programmes?.length) {
    const total = programmes.reduce((a, p) => a + p.cost, 0);
    kpis.push({
      name: 'programme_cost_total',
      label: 'Programme costs (file)',
      value: total,
      display: fmt.moneyShort(total),
      title: fmt.money(total),
      sub: programmes.map((p) => `${p.type} ${fmt.moneyShort(p.cost)}`).join(' · '),
    });
  }
  if (wf)
    kpis.push({
      name: 'pocket_price_share',
      label: 'Pocket price / list',
      value: wf.pocketShare,
      display: fmt.pct(wf.pocketShare),
      sub: 'what is left of list after every incentive and freight',
    });
  section.append(kpiGrid(kpis));
  if (spend) section.append(spendPanel(spend));
  if (bands) section.append(bandsPanel(c, bands));
  if (wf) section.append(await waterfallPanel(c, wf));
  section.append(deferred('Programme ROI', () => programmesPanel(c)));
  if (!info.mapping.profit && !info.mapping.cost) {
    section.append(
      h(
        'p',
        { class: 'note' },
        'Margins per band and programme ROI need profit per line: map a profit or cost (COGS) column.',
      ),
    );
  }
  return section;
}

function spendPanel(spend: NonNullable<Awaited<ReturnType<typeof incentiveSpend>>>): HTMLElement {
  const p = palette();
  const colors = { 'On-invoice discount': p.accent, Rebate: p.accent2, 'Co-op / promotion': p.good };
  const chart =
    spend.byQuarter.length > 1
      ? Plot.plot({
          width: 620,
          height: 300,
          marginLeft: 60,
          marginBottom: 50,
          style: chartStyle(p, '11px'),
          ariaLabel: 'Incentive spend by quarter and type',
          ariaDescription: `Total ${fmt.money(spend.total)} over ${new Set(spend.byQuarter.map((q) => q.quarter)).size} quarters.`,
          x: { label: null, tickRotate: -30 },
          y: { grid: true, label: '↑ Spend', tickFormat: (d: number) => fmt.moneyShort(d) },
          color: { legend: true, domain: Object.keys(colors), range: Object.values(colors) },
          marks: [
            Plot.barY(spend.byQuarter, Plot.stackY({ x: 'quarter', y: 'cost', fill: 'type', tip: true })),
            Plot.ruleY([0], { stroke: p.muted }),
          ],
        })
      : h('p', { class: 'note' }, 'No quarterly view: the file has no dates.');
  type C = (typeof spend.byCustomer)[number];
  const cols: Column<C>[] = [
    { key: 'label', label: 'Customer', value: (x) => x.label },
    { key: 'cost', label: 'Incentives', value: (x) => x.cost, format: fmt.money, align: 'right' },
    {
      key: 'share',
      label: '% of gross',
      value: (x) => (x.gross ? x.cost / x.gross : null),
      format: fmt.pct,
      align: 'right',
    },
    { key: 'net', label: 'Net revenue', value: (x) => x.net, format: fmt.money, align: 'right' },
    { key: 'margin', label: 'Margin', value: (x) => x.margin, format: fmt.pct, align: 'right', signed: true },
  ];
  return h(
    'div',
    { class: 'chart-grid' },
    h('figure', { class: 'chart' }, h('figcaption', {}, 'Incentive spend by quarter'), chart),
    dataTable({ caption: 'Largest incentive receivers', columns: cols, rows: spend.byCustomer }),
  );
}

function bandsPanel(c: IncentiveViewContext, bands: Band[]): HTMLElement {
  const p = palette();
  const used = bands.filter((b) => b.lines > 0);
  const hasMargin = used.some((b) => b.margin !== null);
  const sentence = hasMargin ? bandSentence(bands) : null;
  const kpis: KpiSpec[] = used.flatMap((b) =>
    b.margin === null
      ? []
      : [
          {
            name: `band_margin_${b.band}`,
            label: `Margin at ${b.label}`,
            value: b.margin,
            display: fmt.pct(b.margin),
            tone: b.margin < 0 ? ('bad' as const) : undefined,
          },
          {
            name: `band_loss_share_${b.band}`,
            label: `Loss lines at ${b.label}`,
            value: b.lossShare,
            display: fmt.pct(b.lossShare),
          },
        ],
  );
  const chart = hasMargin
    ? Plot.plot({
        width: 560,
        height: 280,
        marginLeft: 56,
        style: chartStyle(p),
        ariaLabel: 'Gross margin and share of loss-making lines by discount depth',
        ariaDescription: used
          .map((b) => `${b.label}: margin ${fmt.pct(b.margin)}, ${fmt.pct(b.lossShare)} of lines lose money`)
          .join('; '),
        x: { domain: used.map((b) => b.label), label: 'Discount depth (discount / gross) →' },
        y: { grid: true, tickFormat: '%', label: '↑ Margin (bars) · loss-making lines (dots)' },
        marks: [
          Plot.barY(used, {
            x: 'label',
            y: 'margin',
            fill: (b: Band) => ((b.margin ?? 0) < 0 ? p.bad : p.accent),
            fillOpacity: 0.8,
          }),
          Plot.line(used, { x: 'label', y: 'lossShare', stroke: p.accent2, strokeWidth: 2 }),
          Plot.dot(used, { x: 'label', y: 'lossShare', fill: p.accent2, r: 4 }),
          Plot.ruleY([0], { stroke: p.muted }),
          Plot.tip(
            used,
            Plot.pointerX({
              x: 'label',
              y: 'margin',
              title: (b: Band) =>
                `${b.label}: ${fmt.count(b.lines, 'line')}, ${fmt.count(b.customers, 'customer')}\nRevenue ${fmt.money(b.revenue)}\nMargin ${fmt.pct(b.margin)}\nLoss-making lines ${fmt.pct(b.lossShare)}`,
            }),
          ),
        ],
      })
    : h('p', { class: 'note' }, 'Margins per band need profit per line.');
  const cols: Column<Band>[] = [
    { key: 'label', label: 'Discount depth', value: (b) => b.label },
    { key: 'lines', label: 'Lines', value: (b) => b.lines, format: fmt.int, align: 'right' },
    { key: 'customers', label: 'Customers', value: (b) => b.customers, format: fmt.int, align: 'right' },
    { key: 'revenue', label: 'Net revenue', value: (b) => b.revenue, format: fmt.money, align: 'right' },
    { key: 'margin', label: 'GP margin', value: (b) => b.margin, format: fmt.pct, align: 'right', signed: true },
    { key: 'loss', label: 'Loss-making lines', value: (b) => b.lossShare, format: fmt.pct, align: 'right' },
  ];
  return h(
    'div',
    { class: 'bands' },
    h('h3', {}, '"The more discount, the better"? Discount depth against margin'),
    sentence ? h('p', { class: 'headline' }, sentence) : null,
    kpiGrid(kpis),
    h(
      'div',
      { class: 'chart-grid' },
      h('figure', { class: 'chart' }, h('figcaption', {}, 'Margin and loss-making lines by discount band'), chart),
      h(
        'div',
        {},
        dataTable({ caption: 'Discount bands (upper edge included)', columns: cols, rows: bands }),
        breakEven(c),
      ),
    ),
  );
}

function breakEven(c: IncentiveViewContext): HTMLElement {
  const st = c.state;
  const out = h('p', { class: 'headline', 'aria-live': 'polite' });
  const disc = h('input', {
    id: 'be-discount',
    type: 'number',
    min: 0,
    max: 99,
    step: 0.5,
    value: (st.discount * 100).toFixed(1),
  });
  const marg = h('input', {
    id: 'be-margin',
    type: 'number',
    min: 1,
    max: 99,
    step: 0.5,
    value: ((st.margin ?? 0.3) * 100).toFixed(1),
  });
  const update = () => {
    const d = Number(disc.value) / 100;
    const m = Number(marg.value) / 100;
    const v = breakEvenVolume(d, m);
    out.textContent =
      v === null
        ? `A ${fmt.pct(d)} discount on a ${fmt.pct(m)} margin can never pay back: it gives away the whole margin.`
        : `A ${(d * 100).toFixed(1)}-point discount on a ${(m * 100).toFixed(1)}% margin needs ${fmt.pct(v)} more volume to earn the same gross profit.`;
  };
  disc.addEventListener('input', update);
  marg.addEventListener('input', update);
  update();
  return h(
    'div',
    { class: 'calculator' },
    h('h3', {}, 'Break-even volume for a discount'),
    h(
      'div',
      { class: 'controls' },
      h('label', { for: 'be-discount' }, 'Discount ', disc, ' points'),
      h('label', { for: 'be-margin' }, 'at a margin of ', marg, '%'),
    ),
    out,
    h('p', { class: 'note' }, 'Nagle and Hogan: extra volume = discount / (margin − discount).'),
  );
}

async function waterfallPanel(c: IncentiveViewContext, portfolio: Waterfall): Promise<HTMLElement> {
  const { engine, filters, info, state: st } = c;
  const dims: WaterfallDim[] = ['portfolio', 'customer'];
  for (const d of ['segment', 'product', 'category', 'region'] as const) if (info.mapping[d]) dims.push(d);
  let values: string[] = [];
  if (st.dim !== 'portfolio') {
    values = (
      await engine.query<{ v: string }>(
        `SELECT ${st.dim} AS v FROM sales WHERE ${st.dim} IS NOT NULL AND gross IS NOT NULL GROUP BY 1 ORDER BY sum(amount) DESC LIMIT 100`,
      )
    ).map((r) => r.v);
  }
  const value = st.dim === 'portfolio' ? undefined : values.includes(st.value ?? '') ? st.value : values[0];
  const wf = (st.dim === 'portfolio' ? portfolio : await priceWaterfall(engine, filters, st.dim, value)) ?? portfolio;
  const steps: BridgeStep[] = [
    { label: 'List / gross', value: wf.list, kind: 'level' },
    { label: 'On-invoice discount', value: -wf.discount, kind: 'change' },
    { label: 'Invoice price', value: wf.invoice, kind: 'total' },
  ];
  if (wf.rebate) steps.push({ label: 'Rebates', value: -wf.rebate, kind: 'change' });
  if (wf.promo) steps.push({ label: 'Co-op / promotions', value: -wf.promo, kind: 'change' });
  if (wf.freight) steps.push({ label: 'Freight', value: -wf.freight, kind: 'change' });
  steps.push({ label: 'Pocket price', value: wf.pocket, kind: 'total' });
  const dimSel = h(
    'select',
    {
      id: 'wf-dim',
      onchange: (e) =>
        c.onState({ ...st, dim: (e.target as HTMLSelectElement).value as WaterfallDim, value: undefined }),
    },
    ...dims.map((d) =>
      h('option', { value: d, selected: d === st.dim }, d === 'portfolio' ? 'the whole portfolio' : `one ${d}`),
    ),
  );
  const valSel =
    st.dim === 'portfolio'
      ? null
      : h(
          'select',
          {
            id: 'wf-value',
            'aria-label': `Which ${st.dim}`,
            onchange: (e) => c.onState({ ...st, value: (e.target as HTMLSelectElement).value }),
          },
          ...values.map((v) => h('option', { value: v, selected: v === value }, v)),
        );
  return h(
    'div',
    { class: 'waterfall' },
    h('h3', {}, 'Price waterfall: from list price to pocket price'),
    h('div', { class: 'controls' }, h('label', { for: 'wf-dim' }, 'Show ', dimSel), valSel),
    h(
      'div',
      { class: 'chart-grid' },
      h(
        'figure',
        { class: 'chart' },
        h('figcaption', {}, `${wf.label}: pocket price is ${fmt.pct(wf.pocketShare)} of list`),
        waterfallChart(steps, `Price waterfall of ${wf.label}`),
      ),
      deferred('Pocket price band', async () => {
        const band = await pocketBand(engine, filters);
        return band
          ? pocketBandChart(band)
          : h('p', { class: 'note' }, 'No pocket price band: no customer has both list and net values.');
      }),
    ),
  );
}

function pocketBandChart(b: NonNullable<Awaited<ReturnType<typeof pocketBand>>>): HTMLElement {
  const p = palette();
  const rho = b.rankCorrelation;
  const verdict =
    rho === null
      ? ''
      : rho < -0.2
        ? 'Bigger customers pay less of list: the deepest discounts do go to the biggest accounts.'
        : rho > 0.2
          ? 'Bigger customers keep more of list than small ones: the deep discounts are not buying volume.'
          : 'Pocket price hardly depends on customer size: discounts are not tied to volume.';
  return h(
    'figure',
    { class: 'chart' },
    h(
      'figcaption',
      {},
      `Pocket price band: width ${fmt.pct(b.width)} (P5 ${fmt.pct(b.p5)} – P95 ${fmt.pct(b.p95)} of list)`,
    ),
    Plot.plot({
      width: 540,
      height: 280,
      marginLeft: 56,
      style: chartStyle(p, '11px'),
      ariaLabel: 'Pocket price as a share of list price against customer revenue',
      ariaDescription: `${b.customers.length} customers. Rank correlation with revenue ${rho === null ? 'n/a' : rho.toFixed(2)}. ${verdict}`,
      x: {
        type: 'log',
        label: 'Customer net revenue (log) →',
        tickFormat: (d: number) => fmt.moneyShort(d),
        ticks: logTicks(Math.min(...b.customers.map((c) => c.revenue)), Math.max(...b.customers.map((c) => c.revenue))),
      },
      y: { tickFormat: '%', grid: true, label: '↑ Pocket price / list' },
      marks: [
        Plot.ruleY([b.p5, b.p95], { stroke: p.muted, strokeDasharray: '4,3' }),
        Plot.dot(b.customers, { x: 'revenue', y: 'pocketShare', r: 2.5, fill: p.accent, fillOpacity: 0.5 }),
        Plot.tip(
          b.customers,
          Plot.pointer({
            x: 'revenue',
            y: 'pocketShare',
            title: (d: (typeof b.customers)[number]) =>
              `${d.label}\nRevenue ${fmt.money(d.revenue)}\nPocket ${fmt.pct(d.pocketShare)} of list`,
          }),
        ),
      ],
    }),
    h(
      'p',
      { class: 'note' },
      `Spearman rank correlation with revenue: ${rho === null ? 'n/a' : rho.toFixed(2)}. ${verdict}`,
    ),
  );
}

async function programmesPanel(c: IncentiveViewContext): Promise<HTMLElement> {
  const { engine } = c;
  const input = fileInput({
    id: 'programme-input',
    accept: '.csv,.tsv,.txt',
    label: 'Load an incentive programme file',
    onFiles: (files) => c.onProgrammeFile(files[0] as File),
  });
  const box = h(
    'div',
    { class: 'programmes', id: 'programmes' },
    h('h3', {}, 'Programme ROI: do rebates, promotions and contests pay back?'),
    h(
      'div',
      { class: 'controls' },
      h('label', { for: 'programme-input', class: 'button' }, 'Load a programme file…'),
      input,
      h(
        'span',
        { class: 'note' },
        'One row per supported customer: programme, customer, type, start, end, cost, written target.',
      ),
    ),
    c.programmeNote ? h('p', { class: 'note', role: 'status' }, c.programmeNote) : null,
  );
  const source = await programmeSource(engine);
  if (!source) {
    box.append(
      h(
        'p',
        { class: 'note' },
        'No programmes known: this file has no programme column and no programme file is loaded.',
      ),
    );
    return box;
  }
  if (!c.info.mapping.profit && !c.info.mapping.cost) {
    box.append(h('p', { class: 'note' }, 'Programme ROI needs gross profit per line: map a profit or cost column.'));
    return box;
  }
  const rows = await programmeRoi(engine);
  box.append(
    h(
      'p',
      { class: 'note' },
      'Method: difference-in-differences, ratio form. Incremental GP = GP of the supported customers in the programme period − their GP in the equal-length baseline before it × (control GP in the period / control GP in the baseline). Control = every customer in no programme that overlaps the baseline or the period. ROI = (incremental GP − cost) / cost.',
    ),
  );
  const cols: Column<ProgrammeRoi>[] = [
    { key: 'program', label: 'Programme', value: (r) => `${r.program} (${r.type})` },
    {
      key: 'period',
      label: 'Period · baseline',
      value: (r) => `${r.start} – ${r.end} · ${r.baselineStart} – ${r.baselineEnd}`,
    },
    { key: 'n', label: 'Treated / control', value: (r) => `${r.treated} / ${r.control}`, align: 'right' },
    {
      key: 'gp',
      label: 'GP treated (base → period)',
      value: (r) => `${fmt.moneyShort(r.gpTreatedB)} → ${fmt.moneyShort(r.gpTreatedP)}`,
      align: 'right',
    },
    {
      key: 'ctrl',
      label: 'Control growth',
      value: (r) => (r.gpControlB > 0 ? r.gpControlP / r.gpControlB - 1 : null),
      format: fmt.pct,
      align: 'right',
      signed: true,
    },
    {
      key: 'inc',
      label: 'Incremental GP',
      value: (r) => r.incrementalGp,
      format: fmt.money,
      align: 'right',
      signed: true,
    },
    { key: 'cost', label: 'Cost', value: (r) => r.cost, format: fmt.money, align: 'right' },
    { key: 'roi', label: 'ROI', value: (r) => r.roi, format: fmt.pct, align: 'right', signed: true },
    {
      key: 'cpr',
      label: 'Cost per incr. revenue',
      value: (r) => r.costPerIncrementalRevenue,
      format: (v) => (v == null ? '–' : v.toFixed(2)),
      align: 'right',
    },
    {
      key: 'trend',
      label: 'Pre-trend',
      value: (r) => (r.parallel === null ? 'n/a' : r.parallel ? 'parallel' : 'not parallel'),
    },
  ];
  box.append(dataTable({ caption: 'Programmes', columns: cols, rows, empty: 'No programme with dates.' }));
  const warnings = rows.flatMap((r) => r.warnings.map((w) => `${r.program}: ${w}`));
  if (warnings.length) box.append(h('ul', { class: 'warnings' }, ...warnings.map((w) => h('li', {}, w))));
  const targets = await targetAttainment(engine);
  const noTarget = targets.filter((t) => t.target === null);
  const withTarget = targets.filter((t) => t.target !== null);
  type T = (typeof targets)[number];
  const tcols: Column<T>[] = [
    { key: 'program', label: 'Programme', value: (t) => t.program },
    { key: 'label', label: 'Customer', value: (t) => t.label },
    { key: 'cost', label: 'Support', value: (t) => t.cost, format: fmt.money, align: 'right' },
    { key: 'target', label: 'Written target', value: (t) => t.target, format: fmt.money, align: 'right' },
    { key: 'revenue', label: 'Revenue in period', value: (t) => t.revenue, format: fmt.money, align: 'right' },
    { key: 'att', label: 'Attainment', value: (t) => t.attainment, format: fmt.pct, align: 'right' },
  ];
  const missed = withTarget.filter((t) => (t.attainment ?? 0) < 1).length;
  box.append(
    h(
      'p',
      { class: 'headline' },
      `${fmt.int(withTarget.length)} supported customers had a written target and ${fmt.int(missed)} missed it; ${fmt.int(noTarget.length)} got ${fmt.money(noTarget.reduce((s, t) => s + t.cost, 0))} of support with no target at all.`,
    ),
    h(
      'div',
      { class: 'table-grid' },
      h(
        'div',
        { class: 'scroll-table' },
        dataTable({ caption: 'Target attainment (lowest first)', columns: tcols, rows: withTarget.slice(0, 100) }),
      ),
      h(
        'div',
        { class: 'scroll-table' },
        dataTable({
          caption: 'Support given without a written target',
          columns: tcols.filter((x) => x.key !== 'target' && x.key !== 'att'),
          rows: noTarget.slice(0, 100),
          empty: 'Every supported customer had a target.',
        }),
      ),
    ),
  );
  return box;
}
