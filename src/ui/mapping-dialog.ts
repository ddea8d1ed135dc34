/** The column mapping dialog: every detected role can be changed, with sample values beside each choice. */
import type { Formats } from '../data/canonical';
import { ENCODING_NAMES, type Encoding } from '../data/encoding';
import { DATE_CANDIDATES } from '../data/parse';
import { type Mapping, missingRequired, ROLE_INFO, ROLES, type Role } from '../data/roles';
import { h } from './dom';
import { modal } from './modal';

export interface MappingInput {
  fileName: string;
  columns: string[];
  samples: Record<string, string[]>;
  mapping: Mapping;
  formats?: Partial<Formats>;
  /** Why the dialog opened by itself, if it did. */
  reason?: string;
  /** The encoding the file was read in, when it can be read again in another. */
  encoding?: Encoding;
}

export interface MappingChoice {
  mapping: Mapping;
  formats: Partial<Formats>;
  /** Another encoding to read the file in (the mapping then starts afresh). */
  encoding?: Encoding;
}

export function openMappingDialog(input: MappingInput): Promise<MappingChoice | null> {
  // Each choice shows what its column holds: essential when the file has no header ("column 3").
  const optionLabel = (c: string) => {
    const sample = (input.samples[c] ?? []).slice(0, 2).join(', ');
    return sample ? `${c} — ${sample.length > 32 ? `${sample.slice(0, 31)}…` : sample}` : c;
  };
  {
    const selects = new Map<Role, HTMLSelectElement>();
    const rows = ROLES.map((role) => {
      const info = ROLE_INFO[role];
      const sample = h('span', { class: 'samples' });
      const id = `map-${role}`;
      const sel = h(
        'select',
        { id, name: role },
        h('option', { value: '' }, '— not in this file —'),
        ...input.columns.map((c) => h('option', { value: c, selected: input.mapping[role] === c }, optionLabel(c))),
      );
      const showSample = () => {
        sample.textContent = sel.value ? (input.samples[sel.value] ?? []).slice(0, 3).join(' · ') : '';
      };
      sel.addEventListener('change', () => {
        showSample();
        check();
      });
      showSample();
      selects.set(role, sel);
      const required = role === 'customer' || role === 'amount';
      return h(
        'tr',
        {},
        h(
          'th',
          { scope: 'row' },
          h('label', { for: id }, info.label, required ? h('abbr', { title: 'required' }, ' *') : null),
          h('div', { class: 'help' }, info.help),
        ),
        h('td', {}, sel),
        h('td', {}, sample),
      );
    });
    const dateSel = h(
      'select',
      { id: 'map-date-format' },
      h('option', { value: '' }, 'Detect from the data'),
      ...DATE_CANDIDATES.map((c) => h('option', { value: c.id, selected: input.formats?.date === c.id }, c.label)),
    );
    const discSel = h(
      'select',
      { id: 'map-discount-kind' },
      h('option', { value: '' }, 'Detect from the data'),
      h('option', { value: 'rate', selected: input.formats?.discountKind === 'rate' }, 'a rate (0.2 or 20%)'),
      h('option', { value: 'amount', selected: input.formats?.discountKind === 'amount' }, 'an amount of money'),
    );
    const encSel = input.encoding
      ? h(
          'select',
          { id: 'map-encoding' },
          ...(Object.entries(ENCODING_NAMES) as [Encoding, string][]).map(([e, label]) =>
            h('option', { value: e, selected: input.encoding === e }, label),
          ),
        )
      : null;
    const problem = h('p', { class: 'dialog-problem', role: 'status' });
    const apply = h('button', { type: 'submit', class: 'primary' }, 'Apply mapping');
    const current = (): Mapping => {
      const m: Mapping = {};
      for (const [role, sel] of selects) if (sel.value) m[role] = sel.value;
      return m;
    };
    const check = () => {
      const missing = missingRequired(current());
      problem.textContent = missing.length ? `Still needed: ${missing.join(', ')}.` : '';
      apply.disabled = missing.length > 0;
    };
    const form = h(
      'form',
      { method: 'dialog' },
      h('h2', {}, `Column mapping — ${input.fileName}`),
      input.reason ? h('p', { class: 'dialog-reason' }, input.reason) : null,
      h(
        'p',
        { class: 'help' },
        'Pick the column that holds each role. The same choice is remembered for files with the same header.',
      ),
      h('div', { class: 'mapping-scroll' }, h('table', { class: 'mapping-table' }, h('tbody', {}, ...rows))),
      h(
        'div',
        { class: 'controls' },
        h('label', { for: 'map-date-format' }, 'Date format ', dateSel),
        h('label', { for: 'map-discount-kind' }, 'Discount is ', discSel),
        encSel ? h('label', { for: 'map-encoding' }, 'Encoding ', encSel) : null,
      ),
      problem,
      h('div', { class: 'dialog-buttons' }, h('button', { type: 'button', 'data-cancel': true }, 'Cancel'), apply),
    );
    check();
    return modal<MappingChoice>(form, {
      label: 'Column mapping',
      className: '',
      submit: () => {
        const formats: Partial<Formats> = {};
        if (dateSel.value) formats.date = dateSel.value;
        if (discSel.value) formats.discountKind = discSel.value as 'rate' | 'amount';
        const encoding = encSel && encSel.value !== input.encoding ? (encSel.value as Encoding) : undefined;
        return { mapping: current(), formats, ...(encoding ? { encoding } : {}) };
      },
      focus: () => selects.get(missingRequired(input.mapping).length ? 'customer' : 'amount') ?? null,
    });
  }
}
