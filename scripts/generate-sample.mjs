#!/usr/bin/env node
// Writes the bundled sample data (data/sample_sales.csv, data/sample_programmes.csv) from a fixed seed.
// A believable B2B manufacturer selling through strategic accounts, group buyers, distributors, regional agents
// and dealers over two years: a real 80/20 skew, seasonality with an autumn peak, and some big accounts that lose
// money once discounts, rebates, co-op and freight are counted.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'data');
let seed = 20240101;
function rand() {
  seed |= 0;
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (a) => a[Math.floor(rand() * a.length)];
const between = (a, b) => a + (b - a) * rand();
const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const round2 = (v) => Math.round(v * 100) / 100;

const TYPES = [
  { type: 'Strategic account', n: 14, size: 40, disc: [0.16, 0.28], rebate: [0.03, 0.06], freight: 1.4 },
  { type: 'Group buyer', n: 26, size: 14, disc: [0.12, 0.22], rebate: [0.02, 0.05], freight: 1.0 },
  { type: 'Distributor', n: 70, size: 6, disc: [0.08, 0.16], rebate: [0.01, 0.03], freight: 0.8 },
  { type: 'Regional agent', n: 120, size: 1.6, disc: [0.03, 0.1], rebate: [0, 0.01], freight: 1.6 },
  { type: 'Dealer', n: 230, size: 0.5, disc: [0, 0.06], rebate: [0, 0], freight: 2.6 },
];
const REGIONS = ['North', 'South', 'East', 'West', 'Central'];
const REPS = [
  'A. Chen',
  'B. Novak',
  'C. Okafor',
  'D. Silva',
  'E. Larsen',
  'F. Moreau',
  'G. Tanaka',
  'H. Weber',
  'I. Rossi',
  'J. Kowalski',
  'K. Haddad',
  'L. Meyer',
];
const W1 = [
  'Harbor',
  'Summit',
  'Pioneer',
  'Atlas',
  'Northgate',
  'Redwood',
  'Keystone',
  'Bluewater',
  'Ironbridge',
  'Silverline',
  'Granite',
  'Lakeside',
  'Crescent',
  'Meridian',
  'Oakfield',
  'Riverside',
  'Highland',
  'Westbrook',
  'Eastfield',
  'Stonegate',
];
const W2 = [
  'Tools',
  'Supply',
  'Industrial',
  'Hardware',
  'Engineering',
  'Building Materials',
  'Fasteners',
  'Equipment',
  'Trading',
  'Maintenance',
  'Components',
  'Distribution',
];
const W3 = ['Ltd', 'GmbH', 'Inc.', 'S.A.', 'Group', 'Co.', 'AB', 'LLC', 'B.V.', 'Oy'];
const LINES = [
  { line: 'Power Tools', price: [80, 420], cost: 0.58 },
  { line: 'Hand Tools', price: [8, 60], cost: 0.5 },
  { line: 'Fasteners', price: [2, 18], cost: 0.45 },
  { line: 'Safety Gear', price: [12, 90], cost: 0.52 },
  { line: 'Hydraulics', price: [150, 900], cost: 0.63 },
];
const SKUS = LINES.flatMap((l, i) =>
  Array.from({ length: 9 }, (_, j) => ({
    sku: `${l.line.slice(0, 2).toUpperCase()}-${String(100 + i * 10 + j).padStart(4, '0')}`,
    line: l.line,
    list: round2(between(...l.price)),
    cost: l.cost * between(0.9, 1.1),
  })),
);
// Month-of-year demand: quiet January/February, peak September-November.
const SEASON = [0.6, 0.7, 0.95, 1.0, 1.05, 0.95, 0.85, 0.9, 1.25, 1.4, 1.35, 0.9];

const customers = [];
const names = new Set();
let id = 1;
for (const t of TYPES) {
  for (let i = 0; i < t.n; i++) {
    let name;
    do name = `${pick(W1)} ${pick(W2)} ${pick(W3)}`;
    while (names.has(name));
    names.add(name);
    const size = t.size * Math.exp(0.9 * normal());
    customers.push({
      id: `C${String(id++).padStart(5, '0')}`,
      name,
      type: t.type,
      region: pick(REGIONS),
      rep: pick(REPS),
      size,
      disc: between(...t.disc),
      rebate: between(...t.rebate),
      freight: t.freight * between(0.6, 1.5),
      trend: between(-0.25, 0.35),
    });
  }
}
// Planted value destroyers: a few large accounts with deep discounts, heavy rebates and free express freight.
const big = customers
  .filter((c) => c.type === 'Strategic account' || c.type === 'Group buyer')
  .sort((a, b) => b.size - a.size);
for (const c of [big[1], big[3], big[4], big[7], big[9], big[11]]) {
  c.disc = between(0.46, 0.5);
  c.rebate = between(0.06, 0.08);
  c.freight *= 9;
  c.destroyer = true;
}

// Small accounts that order little and often with express delivery: costly to serve, a long loss-making tail.
for (const c of customers) {
  if ((c.type === 'Dealer' || c.type === 'Regional agent') && rand() < 0.3) {
    c.freight *= 5;
    c.size *= 0.4;
  }
}

const programmes = [
  {
    program: 'Autumn Volume Rebate 2025',
    type: 'rebate',
    start: '2025-07-01',
    end: '2025-12-31',
    uplift: 0.15,
    share: 0.35,
    types: ['Distributor', 'Group buyer'],
    costRate: 0.03,
  },
  {
    program: 'Spring Co-op 2025',
    type: 'co-op promotion',
    start: '2025-03-01',
    end: '2025-06-30',
    uplift: 0.0,
    share: 0.3,
    types: ['Regional agent', 'Distributor'],
    costRate: 0.04,
  },
  {
    program: 'Dealer Contest H2 2024',
    type: 'contest',
    start: '2024-07-01',
    end: '2024-12-31',
    uplift: 0.06,
    share: 0.2,
    types: ['Dealer'],
    costRate: 0.02,
  },
];
const enrolment = [];
for (const p of programmes) {
  p.members = new Set(customers.filter((c) => p.types.includes(c.type) && rand() < p.share).map((c) => c.id));
}

const rows = [];
let order = 100000;
const _start = Date.UTC(2024, 0, 1);
for (const c of customers) {
  const ordersPerYear = Math.max(2, Math.round(3 + 5 * Math.sqrt(c.size)));
  for (let m = 0; m < 24; m++) {
    const monthStart = Date.UTC(2024 + Math.floor(m / 12), m % 12, 1);
    const growth = 1 + c.trend * (m / 23);
    const inProg = programmes.filter(
      (p) => p.members.has(c.id) && monthStart >= Date.parse(p.start) && monthStart <= Date.parse(p.end),
    );
    const lift = inProg.reduce((s, p) => s * (1 + p.uplift), 1);
    const expected = (ordersPerYear / 12) * SEASON[m % 12] * growth;
    let n = Math.floor(expected) + (rand() < expected % 1 ? 1 : 0);
    for (; n > 0; n--) {
      order++;
      const day = new Date(monthStart + Math.floor(rand() * 28) * 86400000);
      const date = day.toISOString().slice(0, 10);
      const lines = 1 + Math.floor(rand() * 4);
      const orderFreight = round2((12 + 25 * rand()) * c.freight);
      for (let l = 0; l < lines; l++) {
        const s = pick(SKUS);
        const qty = Math.max(1, Math.round((3 + 10 * rand()) * Math.sqrt(c.size) * lift * (s.list > 100 ? 0.3 : 1)));
        const disc = Math.min(0.55, Math.max(0, c.disc + 0.03 * normal()));
        const unit = round2(s.list * (1 - disc));
        const gross = round2(s.list * qty);
        const net = round2(unit * qty);
        const prog = inProg[0];
        rows.push([
          `SO-${order}`,
          date,
          c.id,
          c.name,
          c.type,
          c.region,
          c.rep,
          s.line,
          s.sku,
          qty,
          s.list.toFixed(2),
          unit.toFixed(2),
          gross.toFixed(2),
          round2(gross - net).toFixed(2),
          net.toFixed(2),
          round2(s.list * s.cost * qty).toFixed(2),
          round2(net * c.rebate).toFixed(2),
          prog && prog.type === 'co-op promotion' ? round2(net * prog.costRate).toFixed(2) : '0.00',
          l === 0 ? orderFreight.toFixed(2) : '0.00',
          prog ? prog.program : '',
        ]);
      }
    }
  }
}
rows.sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[0] < b[0] ? -1 : 1));
const header = [
  'order_id',
  'order_date',
  'customer_id',
  'customer_name',
  'customer_type',
  'region',
  'sales_rep',
  'product_line',
  'sku',
  'quantity',
  'list_price',
  'unit_price',
  'gross_sales',
  'discount',
  'net_sales',
  'cogs',
  'rebate',
  'coop_cost',
  'freight',
  'program',
];
const q = (v) => (/[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(
  path.join(out, 'sample_sales.csv'),
  `${[header, ...rows].map((r) => r.map(q).join(',')).join('\n')}\n`,
);

for (const p of programmes) {
  for (const cid of [...p.members].sort()) {
    const c = customers.find((x) => x.id === cid);
    const base = c.size * 900;
    enrolment.push([
      p.program,
      cid,
      p.type,
      p.start,
      p.end,
      round2(base * p.costRate * 6).toFixed(2),
      round2(base * 6 * 1.1).toFixed(2),
    ]);
  }
}
// Support given without a written target: a real-world failure the incentive view must surface.
for (const row of enrolment) if (rand() < 0.12) row[6] = '';
fs.writeFileSync(
  path.join(out, 'sample_programmes.csv'),
  `${[['program', 'customer_id', 'type', 'start', 'end', 'cost', 'target'], ...enrolment].map((r) => r.map(q).join(',')).join('\n')}\n`,
);
console.log(
  `sample_sales.csv: ${rows.length} lines, ${customers.length} customers; sample_programmes.csv: ${enrolment.length} enrolments`,
);
