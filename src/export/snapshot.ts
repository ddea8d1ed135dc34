/**
 * A snapshot leadership can open anywhere: one self-contained .html file with the summary, the headline figures
 * (the same data-kpi elements as the live view), each figure's headline, chart and the aggregated table behind it.
 * Never an order line, no script, no request to any origin (its own CSP says so), and unless the sender opts in no
 * customer name or ID: they become A1, A2, … in tables and charts.
 */
import { LIGHT } from '../charts/palette';
import type { Cell, Figure } from '../views/figure';
import type { Finding } from '../views/summary';
import { figureSvgElement, svgText } from './figure-export';

export interface SnapshotInput {
  title: string;
  footer: string;
  link: string;
  findings: Finding[];
  figures: Figure[];
  /** The page's data-kpi elements: name, raw value, label and display text. */
  kpis: { name: string; value: string; label: string; display: string }[];
  /** Customer names and IDs may appear. */
  names: boolean;
  /** Every customer name and ID of the data: replaced wherever they would appear without the opt-in. */
  customers?: { ids: string[]; labels: string[] };
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const CSS = `
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC",sans-serif;background:${LIGHT['--bg']};color:${LIGHT['--fg']}}
main{max-width:1240px;margin:0 auto;padding:20px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:0 0 6px}
.meta{color:${LIGHT['--muted']};font-size:13px;margin:0 0 14px}
section{background:#fff;border:1px solid ${LIGHT['--border']};border-radius:10px;padding:14px 18px;margin:14px 0;break-inside:avoid}
.kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:8px}
.kpi{border:1px solid ${LIGHT['--border']};border-radius:8px;padding:6px 10px}.kpi .l{color:${LIGHT['--muted']};font-size:12px}.kpi .v{font-size:18px;font-weight:650}
svg{max-width:100%;height:auto}
table{border-collapse:collapse;font-size:12px;margin-top:8px}th,td{padding:3px 8px;border-bottom:1px solid ${LIGHT['--border']};text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
.scroll{overflow:auto;max-height:420px}
`;

export async function snapshotHtml(x: SnapshotInput): Promise<string> {
  // Aliases for every customer, in a stable order: the same customer is the same alias in every table.
  const alias = new Map<string, string>();
  const hide = (v: string) => {
    if (!alias.has(v)) alias.set(v, `A${alias.size + 1}`);
    return alias.get(v) as string;
  };
  // Sentences may name a customer (one above the 10% line): every known name and ID in a text becomes its alias.
  const known = x.names
    ? []
    : [...(x.customers?.labels ?? []), ...(x.customers?.ids ?? [])]
        .filter((n) => n.length >= 2)
        .sort((a, b) => b.length - a.length);
  const scrub = (text: string) => {
    let out = text;
    for (const n of known) if (out.includes(n)) out = out.replaceAll(n, hide(n));
    return out;
  };
  const sections: string[] = [];
  for (const original of x.figures) {
    const fig = { ...original, headline: scrub(original.headline), note: original.note && scrub(original.note) };
    const svg = svgText(await figureSvgElement(fig, '', { width: 1180, height: 460 }, !x.names));
    const t = await fig.table();
    const rows = t.rows.map((r) =>
      r.map((c, i): Cell => (!x.names && fig.nameColumns?.includes(i) && c != null ? hide(String(c)) : c)),
    );
    const cell = (c: Cell) =>
      typeof c === 'number'
        ? `<td class="n">${esc(String(Number.isInteger(c) ? c : Number(c.toFixed(6))))}</td>`
        : `<td>${esc(String(c ?? ''))}</td>`;
    sections.push(`<section data-figure="${esc(fig.id)}"><h2>${esc(fig.headline)}</h2>${svg}
<div class="scroll" tabindex="0" role="region" aria-label="${esc(`Data: ${fig.title}`)}"><table><thead><tr>${t.columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead>
<tbody>${rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('\n')}</tbody></table></div></section>`);
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(x.title)}</title><style>${CSS}</style></head>
<body><main data-state="ready" data-snapshot="on">
<h1>${esc(x.title)}</h1>
<p class="meta">${esc(scrub(x.footer))} · made ${esc(new Date().toISOString().slice(0, 16).replace('T', ' '))} UTC with Key Account Lens${x.link ? ` · <a href="${esc(x.link)}">the live view</a> (needs the data)` : ''}</p>
<section><h2>In five sentences</h2><ol>${x.findings.map((f) => `<li>${esc(scrub(f.text))}</li>`).join('')}</ol></section>
<section><h2>Headline figures</h2><div class="kpis">${x.kpis
    .map(
      (k) =>
        `<div class="kpi" data-kpi="${esc(k.name)}" data-value="${esc(k.value)}"><div class="l">${esc(k.label)}</div><div class="v">${esc(k.display)}</div></div>`,
    )
    .join('')}</div></section>
${sections.join('\n')}
</main></body></html>`;
}
