// What the auditor's pages share: the page wrapper's type, the municipality scope of the log,
// Berlin instants, and KERN's form pattern (error summary, labelled field with hint and error).
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { DateTime } from 'luxon';
import { BUSINESS_ZONE } from '../../../clock.js';
import type { ReadAllOptions } from '../../../eventstore/index.js';
import type { AppEnv } from '../../../http/request-context.js';
import { Alert } from '../../components.js';
import type { PageContext } from '../../page-context.js';

/** The routes' page wrapper: session, permission from the table, HTML errors. */
export type Page = (handler: (c: Context<AppEnv>, p: PageContext) => Response | Promise<Response>) => (c: Context<AppEnv>) => Promise<Response>;

/** The streams a person may read: all, or those of their municipalities (and the shared ones). */
export function streamScopeOf(p: PageContext): ReadAllOptions['streamScope'] {
  const list = p.session.municipalities;
  return list === '*' ? undefined : { field: 'municipality', values: list };
}

/** The UTC instant at which a Berlin calendar day (plus a time) begins. */
export function berlinInstant(date: string, time = '00:00'): string {
  return DateTime.fromISO(`${date}T${time}`, { zone: BUSINESS_ZONE }).toUTC().toISO()!;
}

/** An invalid input: the field's id and the message shown beside it and in the summary. */
export interface FieldError {
  field: string;
  message: string;
}

/** The error summary at the top of a form, linking to each field. */
export function ErrorSummary({ errors }: { errors: FieldError[] }) {
  if (errors.length === 0) return null;
  return (
    <Alert kind="danger" title="Bitte die Eingaben prüfen" id="fehler">
      <ul class="kern-list">
        {errors.map((e) => (
          <li>
            <a class="kern-link" href={`#${e.field}`}>
              {e.message}
            </a>
          </li>
        ))}
      </ul>
    </Alert>
  );
}

/** A labelled input with hint and error text tied by aria-describedby (KERN's form pattern). */
export function Field(props: { id: string; label: string; hint?: string; error?: FieldError | undefined; children: (describedBy: string | undefined) => Child }) {
  const ids = [props.hint ? `${props.id}-hinweis` : null, props.error ? `${props.id}-fehler` : null].filter(Boolean).join(' ');
  return (
    <div class={`kern-form-input${props.error ? ' kern-form-input--error' : ''}`}>
      <label class="kern-label" for={props.id}>
        {props.label}
      </label>
      {props.hint ? (
        <div class="kern-hint" id={`${props.id}-hinweis`}>
          {props.hint}
        </div>
      ) : null}
      {props.error ? (
        <p class="kern-error" id={`${props.id}-fehler`}>
          <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true"></span>
          <span class="kern-body">{props.error.message}</span>
        </p>
      ) : null}
      {props.children(ids || undefined)}
    </div>
  );
}

/** The input's classes, with the error state when `error` is set. */
export const inputClass = (error: FieldError | undefined) => `kern-form-input__input${error ? ' kern-form-input__input--error' : ''}`;
