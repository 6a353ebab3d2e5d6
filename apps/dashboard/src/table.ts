import { copyButton, h } from './dom.ts';

/** One column of a data table. */
export interface Column<T> {
  key: string;
  label: string;
  /** Right-aligned, tabular figures. */
  numeric?: boolean;
  /** The raw value, kept in `data-value` so copies and tests get the exact number. */
  value?: (row: T) => number | string | null;
  text: (row: T) => string;
  className?: (row: T) => string | null;
  /** Rendered as a row header (`<th scope="row">`). */
  header?: boolean;
}

export interface TableSpec<T> {
  id: string;
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowAttrs?: (row: T) => Record<string, string>;
  /** Rows sharing a group key get a light separator above the first one. */
  group?: (row: T) => string;
}

/** Text with `<wbr>` after each slash, so long case names wrap there (and copy without extra characters). */
function breakable(text: string): (string | Node)[] {
  const parts = text.split(/(?<=\/)/);
  return parts.flatMap((p, i) => (i === 0 ? [p] : [document.createElement('wbr'), p]));
}

/** Tab-separated text of a table, header first: what the copy button puts on the clipboard. */
export function tableToTsv(table: HTMLTableElement): string {
  return Array.from(table.rows)
    .map((tr) =>
      Array.from(tr.cells)
        .map((c) => (c.textContent ?? '').trim())
        .join('\t'),
    )
    .join('\n');
}

/** A captioned, scrollable, copyable `<table>` (the accessible twin of a chart). */
export function dataTable<T>(spec: TableSpec<T>): HTMLElement {
  const head = h(
    'tr',
    {},
    ...spec.columns.map((c) =>
      h('th', { scope: 'col', class: c.numeric ? 'num' : null }, ...breakable(c.label)),
    ),
  );
  const body = h('tbody');
  let lastGroup: string | undefined;
  for (const row of spec.rows) {
    const group = spec.group?.(row);
    const cls =
      group === undefined || lastGroup === undefined ? null : group === lastGroup ? 'repeat' : 'group-start';
    const tr = h('tr', { ...(spec.rowAttrs?.(row) ?? {}), class: cls });
    lastGroup = group;
    for (const c of spec.columns) {
      const cls = [c.numeric ? 'num' : '', c.className?.(row) ?? ''].join(' ').trim();
      const v = c.value?.(row);
      const attrs = { class: cls || null, 'data-key': c.key, 'data-value': v === null ? null : v };
      const content = c.numeric ? [c.text(row)] : breakable(c.text(row));
      tr.append(c.header ? h('th', { scope: 'row', ...attrs }, ...content) : h('td', attrs, ...content));
    }
    body.append(tr);
  }
  const table = h('table', { id: spec.id }, h('caption', {}, spec.caption), h('thead', {}, head), body);
  return h(
    'div',
    { class: 'table-card' },
    h(
      'div',
      { class: 'table-tools' },
      h('span', { class: 'table-title' }, spec.caption),
      copyButton('Copy TSV', () => tableToTsv(table)),
    ),
    h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': spec.caption }, table),
  );
}
