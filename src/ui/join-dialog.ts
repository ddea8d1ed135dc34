/** Shows how several dropped files would be joined, and lets the user confirm or leave joins out. */
import { describeJoin, type JoinPlan } from '../data/related';
import { h } from './dom';
import { modal } from './modal';

export function joinDialog(plan: JoinPlan): Promise<JoinPlan | null> {
  {
    const names = new Map(plan.tables.map((t) => [t.table, t.name]));
    const boxes = plan.joins.map((j, i) =>
      h(
        'label',
        { class: 'choice' },
        h('input', { type: 'checkbox', checked: true, 'data-join': i }),
        ` ${describeJoin(j, names)}`,
      ),
    );
    const form = h(
      'form',
      { method: 'dialog' },
      h('h2', {}, 'Join the related files?'),
      h(
        'p',
        {},
        `Order lines come from ${plan.fact.name} (${plan.fact.rows.toLocaleString('en-US')} rows). The other files are joined to them on these keys:`,
      ),
      h('fieldset', { class: 'choices' }, h('legend', {}, 'Joins'), ...boxes),
      h(
        'p',
        { class: 'help' },
        'Money that belongs to a whole order (freight, rebates, promotions) is spread over its lines by line value. Lines whose key is not found stay in, and are rejected with a reason if they lack the customer.',
      ),
      plan.programmeFiles.length
        ? h('p', { class: 'help' }, `Loaded as incentive programmes: ${plan.programmeFiles.join(', ')}.`)
        : null,
      plan.unused.length
        ? h('p', { class: 'dialog-problem' }, `Not joined (no shared key): ${plan.unused.join(', ')}.`)
        : null,
      h(
        'div',
        { class: 'dialog-buttons' },
        h('button', { type: 'button', 'data-cancel': true }, 'Cancel'),
        h('button', { type: 'submit', class: 'primary' }, 'Join and load'),
      ),
    );
    return modal<JoinPlan>(form, {
      label: 'Join related files',
      className: 'join-dialog',
      submit: () => {
        const use = new Set(
          [...form.querySelectorAll<HTMLInputElement>('input[data-join]')]
            .filter((b) => b.checked)
            .map((b) => Number(b.dataset.join)),
        );
        // A join that hangs off a left-out one cannot be made either.
        const kept = new Set([plan.fact.table]);
        const joins = plan.joins.map((j, i) => {
          const ok = use.has(i) && kept.has(j.from);
          if (ok) kept.add(j.to);
          return { ...j, use: ok };
        });
        return { ...plan, joins };
      },
      focus: () => form.querySelector('button[type=submit]'),
    });
  }
}
