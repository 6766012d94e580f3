// Small components the pages share, all KERN UX classes as they are: risk badge, alert, a table
// from an export sheet (the same columns the CSV and XLSX downloads have), description lists,
// download links.
import type { Child } from 'hono/jsx';
import type { RiskLevel } from '../../projections/index.js';
import type { ColumnKind, Sheet } from '../http/export-formats.js';
import { formatDate, formatDecimal, formatEuro, formatInteger } from './format.js';
import { RISK_WORDS } from './words.js';

const RISK_BADGE: Record<RiskLevel, string> = {
  high: 'kern-badge--danger',
  medium: 'kern-badge--warning',
  low: 'kern-badge--success',
  none: 'kern-badge--info',
  ended: 'kern-badge--info',
};

/** The risk level as a badge with the word in it (never colour alone). */
export function RiskBadge({ risk }: { risk: RiskLevel }) {
  return (
    <span class={`kern-badge ${RISK_BADGE[risk]}`} data-risk={risk}>
      <span class="kern-label">{RISK_WORDS[risk]}</span>
    </span>
  );
}

/** A KERN alert; `focus` puts it first in the tab order (an error summary). */
export function Alert({ kind, title, children, id }: { kind: 'info' | 'warning' | 'danger' | 'success'; title: string; children?: Child; id?: string }) {
  return (
    <div class={`kern-alert kern-alert--${kind}`} role={kind === 'danger' || kind === 'warning' ? 'alert' : 'status'} id={id}>
      <div class="kern-alert__header">
        <span class={`kern-icon kern-icon--${kind === 'danger' ? 'danger' : kind}`} aria-hidden="true"></span>
        <span class="kern-title">{title}</span>
      </div>
      {children ? <div class="kern-alert__body">{children}</div> : null}
    </div>
  );
}

/** A cell's text in German writing. */
export function cellText(kind: ColumnKind, value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined || value === '') return '–';
  if (typeof value === 'boolean') return value ? 'ja' : 'nein';
  switch (kind) {
    case 'euro':
      return formatEuro(Number(value));
    case 'date':
      return formatDate(String(value));
    case 'decimal':
      return formatDecimal(Number(value));
    case 'integer':
      return formatInteger(Number(value));
    case 'text':
      return String(value);
  }
}

const numeric = (kind: ColumnKind) => kind === 'euro' || kind === 'decimal' || kind === 'integer';

/** An export sheet as a KERN table with caption and scoped headers. */
export function SheetTable<T>({ sheet, caption, empty }: { sheet: Sheet<T>; caption: string; empty: string }) {
  if (sheet.rows.length === 0) return <p class="kern-body">{empty}</p>;
  return (
    <div class="kern-table-responsive vst-table-wrap" tabindex={0} role="region" aria-label={caption}>
      <table class="kern-table kern-table--small">
        <caption class="kern-title kern-title--small">{caption}</caption>
        <thead class="kern-table__head">
          <tr class="kern-table__row">
            {sheet.columns.map((c) => (
              <th scope="col" class={`kern-table__header${numeric(c.kind) ? ' kern-table__header--numeric' : ''}`}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody class="kern-table__body">
          {sheet.rows.map((row) => (
            <tr class="kern-table__row">
              {sheet.columns.map((c) => (
                <td class={`kern-table__cell${numeric(c.kind) ? ' kern-table__cell--numeric' : ''}`}>{cellText(c.kind, c.value(row))}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A KERN description list of facts. */
export function Facts({ items }: { items: ReadonlyArray<readonly [string, Child]> }) {
  return (
    <dl class="kern-description-list">
      {items.map(([key, value]) => (
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">{key}</dt>
          <dd class="kern-description-list-item__value">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** "Als CSV" / "Als Excel" for a table; `href` gets `format=csv|xlsx` appended. */
export function Downloads({ href, label }: { href: string; label: string }) {
  const join = href.includes('?') ? '&' : '?';
  return (
    <p class="kern-body vst-downloads vst-no-print">
      <a class="kern-link" href={`${href}${join}format=csv`} download>
        {label} als CSV
      </a>
      {' · '}
      <a class="kern-link" href={`${href}${join}format=xlsx`} download>
        {label} als Excel
      </a>
    </p>
  );
}
