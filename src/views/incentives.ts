/** Incentives and price realisation: spend, discount depth bands, break-even, price waterfall, programme ROI. */

import type { BridgeStep } from '../analysis/bridge';
import {
  type Band,
  bandSentence,
  breakEvenVolume,
  discountBands,
  type IncentiveSpend,
  incentiveSpend,
  type PocketBand,
  pocketBand,
  priceWaterfall,
  type Waterfall,
  type WaterfallDim,
  waterfallValues,
} from '../analysis/incentives';
import {
  type ProgrammeRoi,
  programmeCosts,
  programmeFilters,
  programmeRoi,
  programmeSource,
  targetAttainment,
} from '../analysis/programmes';
import { bandsChart, pocketBandChart, pocketVerdict, spendChart } from '../charts/incentives';
import { waterfallChart } from '../charts/waterfall';
import type { Mapping } from '../data/roles';
import type { AppState } from '../state/app-state';
import { deferred } from '../ui/deferred';
import { h } from '../ui/dom';
import { fileInput } from '../ui/file-input';
import { fmt } from '../ui/format';
import { type KpiSpec, kpiGrid } from '../ui/kpi';
import { type Column, dataTable } from '../ui/table';
import { fitted } from './chart-fit';
import { drawAt, type Figure } from './figure';
import { exportMenu } from './figure-tools';
import { compareLabel, sectionFrame } from './section-frame';
import type { Actions, View, ViewInput } from './view';

export interface IncentiveData {
  spend: IncentiveSpend | null;
  bands: Band[] | null;
  /** The portfolio's waterfall, and the one picked (a customer, segment, product …) with the values to pick from. */
  portfolio: Waterfall | null;
  picked: Waterfall | null;
  values: string[];
  programmes: { type: string; cost: number }[] | null;
  prev: { spend: IncentiveSpend | null; portfolio: Waterfall | null } | null;
}

export const incentivesView: View<IncentiveData> = {
  id: 'incentives',
  // The break-even calculator works on the page alone: its inputs do not reload the view.
  reads: (s) => [s.incentives.dim, s.incentives.value],
  async load({ env, state, filters, compare }) {
    const { engine } = env;
    const dim = waterfallDim(state.incentives.dim, env.info.mapping);
    const [spend, bands, portfolio, values, programmes, prev] = await Promise.all([
      incentiveSpend(engine, filters),
      discountBands(engine, filters),
      priceWaterfall(engine, filters),
      waterfallValues(engine, filters, dim),
      programmeCosts(engine, filters),
      compare
        ? Promise.all([incentiveSpend(engine, compare), priceWaterfall(engine, compare)]).then(([s, w]) => ({
            spend: s,
            portfolio: w,
          }))
        : Promise.resolve(null),
    ]);
    const v = state.incentives.value;
    const value = values.includes(v ?? '') ? (v as string) : values[0];
    const picked =
      dim === 'portfolio' || value === undefined ? null : await priceWaterfall(engine, filters, dim, value);
    return { spend, bands, portfolio, picked, values, programmes, prev };
  },
  render: renderIncentives,
  figures: incentiveFigures,
};

/** The waterfall's dimension in force: one the file does not have shows the portfolio. */
function waterfallDim(dim: WaterfallDim, mapping: Mapping): WaterfallDim {
  return dim === 'portfolio' || dim === 'customer' || mapping[dim] ? dim : 'portfolio';
}

function renderIncentives(d: IncentiveData, input: ViewInput, act: Actions): HTMLElement {
  const { env } = input;
  const { spend, bands, portfolio: wf } = d;
  const section = sectionFrame('incentives');
  if (!spend && !bands && !wf) {
    section.append(
      h(
        'p',
        { class: 'note', role: 'status' },
        'This file has no discount, list price, gross amount, rebate or promotion column, so incentive spend and price realisation cannot be computed. Map one of them to see whether discounts pay back.',
      ),
      h('button', { type: 'button', onclick: act.openMapping }, 'Open the column mapping…'),
    );
    section.append(deferred('Programme ROI', () => programmesPanel(input, act)));
    return section;
  }
  const vs = compareLabel(input);
  const cmp = (v: number | null | undefined) => (d.prev ? (v ?? null) : undefined);
  const kpis: KpiSpec[] = [];
  if (spend) {
    kpis.push({
      // Its data-kpi (incentive_cost_total) is the overview's card: a headline figure.
      label: 'Incentive spend',
      value: spend.total,
      display: fmt.moneyShort(spend.total),
      title: fmt.money(spend.total),
      sub: spend.gross ? `${fmt.pct(spend.total / spend.gross)} of gross sales` : undefined,
      prev: cmp(d.prev?.spend?.total),
      better: 'down',
      compareLabel: vs,
    });
    const part = (name: string, label: string, v: number | null, p: number | null | undefined) => {
      if (v !== null)
        kpis.push({
          name,
          label,
          value: v,
          display: fmt.moneyShort(v),
          title: fmt.money(v),
          prev: cmp(p),
          better: 'down',
          compareLabel: vs,
        });
    };
    part('discount_cost_total', 'On-invoice discounts', spend.discount, d.prev?.spend?.discount);
    part('rebate_cost_total', 'Rebates', spend.rebate, d.prev?.spend?.rebate);
    part('promo_cost_total', 'Co-op / promotions', spend.promo, d.prev?.spend?.promo);
  }
  if (d.programmes?.length) {
    const total = d.programmes.reduce((a, p) => a + p.cost, 0);
    kpis.push({
      name: 'programme_cost_total',
      label: 'Programme costs (file)',
      value: total,
      display: fmt.moneyShort(total),
      title: fmt.money(total),
      sub: d.programmes.map((p) => `${p.type} ${fmt.moneyShort(p.cost)}`).join(' · '),
    });
  }
  if (wf)
    kpis.push({
      name: 'pocket_price_share',
      label: 'Pocket price / list',
      value: wf.pocketShare,
      display: fmt.pct(wf.pocketShare),
      sub: 'what is left of list after every incentive and freight',
      prev: cmp(d.prev?.portfolio?.pocketShare),
      better: 'up',
      change: 'points',
      compareLabel: vs,
    });
  section.append(kpiGrid(kpis));
  if (d.programmes?.length)
    section.append(
      h(
        'p',
        { class: 'note' },
        "Programme costs are the programme file's: the period filter does not apply to them; the other filters keep the costs of the customers they leave.",
      ),
    );
  if (spend) section.append(spendPanel(spend, act));
  if (bands) section.append(bandsPanel(input, bands, act));
  if (wf) section.append(waterfallPanel(input, d, wf, act));
  section.append(deferred('Programme ROI', () => programmesPanel(input, act)));
  if (!env.caps.profit) {
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

function spendPanel(spend: IncentiveSpend, act: Actions): HTMLElement {
  const chart =
    spend.byQuarter.length > 1
      ? fitted(() => spendChart(spend))
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
    h(
      'figure',
      { class: 'chart', 'data-figure': 'incentives.spend' },
      h('figcaption', {}, exportMenu(act, 'incentives.spend', SPEND_TITLE), SPEND_TITLE),
      chart,
    ),
    dataTable({ caption: 'Largest incentive receivers', columns: cols, rows: spend.byCustomer }),
  );
}

function bandsPanel(input: ViewInput, bands: Band[], act: Actions): HTMLElement {
  const used = bands.filter((b) => b.lines > 0);
  const hasMargin = used.some((b) => b.margin !== null);
  const sentence = hasMargin ? bandSentence(bands) : null;
  const pickedValue = input.state.clauses.find((c) => c.source === 'incentives' && c.kind === 'band')?.value;
  const picked = pickedValue === undefined ? undefined : Number(pickedValue);
  const pick = (b: Band) => act.toggleClause({ source: 'incentives', kind: 'band', value: String(b.band) as '0' });
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
    ? fitted(() => bandsChart(used, { picked, onPick: pick }))
    : h('p', { class: 'note' }, 'Margins per band need profit per line.');
  const cols: Column<Band>[] = [
    { key: 'label', label: 'Discount depth', value: (b) => `${picked === b.band ? '● ' : ''}${b.label}` },
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
      h(
        'figure',
        { class: 'chart', 'data-figure': 'incentives.bands' },
        h('figcaption', {}, exportMenu(act, 'incentives.bands', BANDS_TITLE), BANDS_TITLE),
        chart,
      ),
      h(
        'div',
        {},
        dataTable({
          caption: 'Discount bands, upper edge included (click a band to filter the other views)',
          columns: cols,
          rows: bands,
          onRowClick: (b) => b.lines > 0 && pick(b),
          selected: (b) => b.band === picked,
        }),
        breakEven(input, act),
      ),
    ),
  );
}

function breakEven(input: ViewInput, act: Actions): HTMLElement {
  const st = input.state.incentives;
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
    value: (st.margin * 100).toFixed(1),
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
  // Kept in the state (and the link) without reloading anything: the sentence is computed here.
  const keep = () => {
    const d = Number(disc.value) / 100;
    const m = Number(marg.value) / 100;
    if (d >= 0 && d <= 0.99 && m >= 0.01 && m <= 0.99)
      act.update((s) => ({ ...s, incentives: { ...s.incentives, discount: d, margin: m } }), 'replace');
  };
  disc.addEventListener('input', update);
  marg.addEventListener('input', update);
  disc.addEventListener('change', keep);
  marg.addEventListener('change', keep);
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

/** From list to pocket price, the steps the file has. */
function waterfallSteps(wf: Waterfall): BridgeStep[] {
  const steps: BridgeStep[] = [
    { label: 'List / gross', value: wf.list, kind: 'level' },
    { label: 'On-invoice discount', value: -wf.discount, kind: 'change' },
    { label: 'Invoice price', value: wf.invoice, kind: 'total' },
  ];
  if (wf.rebate) steps.push({ label: 'Rebates', value: -wf.rebate, kind: 'change' });
  if (wf.promo) steps.push({ label: 'Co-op / promotions', value: -wf.promo, kind: 'change' });
  if (wf.freight) steps.push({ label: 'Freight', value: -wf.freight, kind: 'change' });
  steps.push({ label: 'Pocket price', value: wf.pocket, kind: 'total' });
  return steps;
}

const WATERFALL_TITLE = 'Price waterfall: from list price to pocket price';
const SPEND_TITLE = 'Incentive spend by quarter and type';
const BANDS_TITLE = 'Margin and loss-making lines by discount band';
const SPEND_LEGEND = [
  { label: 'On-invoice discount', color: 'var(--accent)' },
  { label: 'Rebate', color: 'var(--accent2)' },
  { label: 'Co-op / promotion', color: 'var(--good)' },
];

/** The incentive figures for slides and exports: discount bands, the price waterfall, spend by quarter. */
function incentiveFigures(d: IncentiveData, input: ViewInput): Figure[] {
  const out: Figure[] = [];
  const used = d.bands?.filter((b) => b.lines > 0) ?? [];
  const sentence = d.bands ? bandSentence(d.bands) : null;
  if (d.bands && used.some((b) => b.margin !== null))
    out.push({
      id: 'incentives.bands',
      view: 'incentives',
      title: BANDS_TITLE,
      headline: sentence ?? 'Margin by discount depth.',
      chart: async (o) => drawAt(o, () => bandsChart(used)),
      table: async () => ({
        columns: ['discount_band', 'lines', 'customers', 'net_revenue', 'gp_margin', 'loss_making_line_share'],
        rows: (d.bands ?? []).map((b) => [b.label, b.lines, b.customers, b.revenue, b.margin, b.lossShare]),
      }),
      note: 'Discount depth = discount / gross, upper edge of each band included.',
    });
  const wf = d.portfolio;
  if (wf) {
    const steps = waterfallSteps(wf);
    out.push({
      id: 'incentives.waterfall',
      view: 'incentives',
      title: WATERFALL_TITLE,
      headline: `Pocket price is ${fmt.pct(wf.pocketShare)} of list: on-invoice discounts take ${fmt.pct(wf.discount / wf.list)}, rebates, promotions and freight ${fmt.pct((wf.rebate + wf.promo + wf.freight) / wf.list)}.`,
      chart: async (o) => drawAt(o, () => waterfallChart(steps, 'Price waterfall of the portfolio')),
      table: async () => ({ columns: ['step', 'amount'], rows: steps.map((x) => [x.label, x.value]) }),
    });
  }
  const spend = d.spend;
  if (spend && spend.byQuarter.length > 1)
    out.push({
      id: 'incentives.spend',
      view: 'incentives',
      title: SPEND_TITLE,
      headline: `Incentive spend ${fmt.moneyShort(spend.total)}${spend.gross ? `, ${fmt.pct(spend.total / spend.gross)} of gross sales` : ''}${d.prev?.spend ? ` (${compareLabel(input)}: ${fmt.moneyShort(d.prev.spend.total)})` : ''}.`,
      legend: SPEND_LEGEND.filter((l) => spend.byQuarter.some((q) => q.type === l.label)),
      chart: async (o) => drawAt(o, () => spendChart(spend)),
      table: async () => ({
        columns: ['quarter', 'type', 'cost'],
        rows: spend.byQuarter.map((q) => [q.quarter, q.type, q.cost]),
      }),
    });
  return out;
}

function waterfallPanel(input: ViewInput, d: IncentiveData, portfolio: Waterfall, act: Actions): HTMLElement {
  const { env } = input;
  const dim = waterfallDim(input.state.incentives.dim, env.info.mapping);
  const dims: WaterfallDim[] = ['portfolio', 'customer'];
  for (const x of ['segment', 'product', 'category', 'region'] as const) if (env.info.mapping[x]) dims.push(x);
  const values = d.values;
  const value = d.picked ? d.picked.label : undefined;
  const wf = d.picked ?? portfolio;
  const set = (patch: Partial<AppState['incentives']>) =>
    act.update((s) => ({ ...s, incentives: { ...s.incentives, ...patch } }));
  const steps = waterfallSteps(wf);
  const dimSel = h(
    'select',
    {
      id: 'wf-dim',
      onchange: (e) => set({ dim: (e.target as HTMLSelectElement).value as WaterfallDim, value: null }),
    },
    ...dims.map((d) =>
      h('option', { value: d, selected: d === dim }, d === 'portfolio' ? 'the whole portfolio' : `one ${d}`),
    ),
  );
  const valSel =
    dim === 'portfolio'
      ? null
      : h(
          'select',
          {
            id: 'wf-value',
            'aria-label': `Which ${dim}`,
            onchange: (e) => set({ value: (e.target as HTMLSelectElement).value }),
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
        { class: 'chart', 'data-figure': d.picked ? null : 'incentives.waterfall' },
        h(
          'figcaption',
          {},
          d.picked ? null : exportMenu(act, 'incentives.waterfall', WATERFALL_TITLE),
          `${wf.label}: pocket price is ${fmt.pct(wf.pocketShare)} of list`,
        ),
        fitted(() => waterfallChart(steps, `Price waterfall of ${wf.label}`)),
      ),
      deferred('Pocket price band', async () => {
        const band = await pocketBand(env.engine, input.filters);
        return band
          ? pocketBandFigure(band)
          : h('p', { class: 'note' }, 'No pocket price band: no customer has both list and net values.');
      }),
    ),
  );
}

function pocketBandFigure(b: PocketBand): HTMLElement {
  const rho = b.rankCorrelation;
  return h(
    'figure',
    { class: 'chart' },
    h(
      'figcaption',
      {},
      `Pocket price band: width ${fmt.pct(b.width)} (P5 ${fmt.pct(b.p5)} – P95 ${fmt.pct(b.p95)} of list)`,
    ),
    fitted(() => pocketBandChart(b)),
    h(
      'p',
      { class: 'note' },
      `Spearman rank correlation with revenue: ${rho === null ? 'n/a' : rho.toFixed(2)}. ${pocketVerdict(rho)}`,
    ),
  );
}

async function programmesPanel(view: ViewInput, act: Actions): Promise<HTMLElement> {
  const { engine } = view.env;
  const filters = view.filters;
  const input = fileInput({
    id: 'programme-input',
    accept: '.csv,.tsv,.txt',
    label: 'Load an incentive programme file',
    onFiles: (files) => act.onProgrammeFile(files[0] as File),
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
    view.env.programmeNote ? h('p', { class: 'note', role: 'status' }, view.env.programmeNote) : null,
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
  if (!view.env.caps.profit) {
    box.append(h('p', { class: 'note' }, 'Programme ROI needs gross profit per line: map a profit or cost column.'));
    return box;
  }
  const rows = await programmeRoi(engine, filters);
  box.append(
    h(
      'p',
      { class: 'note' },
      `Method: difference-in-differences, ratio form. Incremental GP = GP of the supported customers in the programme period − their GP in the equal-length baseline before it × (control GP in the period / control GP in the baseline). Control = every customer in no programme that overlaps the baseline or the period. ROI = (incremental GP − cost) / cost. Each programme is measured over its own period and baseline, whatever period is in view${Object.keys(programmeFilters(filters)).length ? '; the other filters narrow the customers and lines it is measured on' : ''}.`,
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
  const targets = await targetAttainment(engine, filters);
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
