// The event log as a table: position, recorded at, stream (linked), type and content in German,
// actor and request id.
import type { StoredEvent } from '../../../eventstore/index.js';
import { formatInstant } from '../../format.js';
import { actorWords, eventInWords, eventTypeWords } from '../../words.js';

/** The events as a table with `caption`. */
export function EventTable({ events, caption }: { events: StoredEvent[]; caption: string }) {
  return (
    <div class="kern-table-responsive vst-table-wrap" tabindex={0} role="region" aria-label={caption}>
      <table class="kern-table kern-table--small" data-testid="protokoll">
        <caption class="kern-title kern-title--small">{caption}</caption>
        <thead class="kern-table__head">
          <tr class="kern-table__row">
            <th scope="col" class="kern-table__header kern-table__header--numeric">Position</th>
            <th scope="col" class="kern-table__header">Erfasst am</th>
            <th scope="col" class="kern-table__header">Datensatz</th>
            <th scope="col" class="kern-table__header">Art</th>
            <th scope="col" class="kern-table__header">Inhalt</th>
            <th scope="col" class="kern-table__header">Von wem</th>
            <th scope="col" class="kern-table__header">Anfrage</th>
          </tr>
        </thead>
        <tbody class="kern-table__body">
          {events.map((e) => (
            <tr class="kern-table__row">
              <th scope="row" class="kern-table__cell kern-table__cell--numeric">
                {e.globalPosition}
              </th>
              <td class="kern-table__cell">{formatInstant(e.recordedAt)}</td>
              <td class="kern-table__cell">
                <a class="kern-link" href={`/pruefung/stream/${encodeURIComponent(e.streamId)}`}>
                  {e.streamId}
                </a>{' '}
                (Version {e.streamVersion})
              </td>
              <td class="kern-table__cell">{eventTypeWords(e.type)}</td>
              <td class="kern-table__cell">{eventInWords(e)}</td>
              <td class="kern-table__cell">{actorWords(e)}</td>
              <td class="kern-table__cell">{String(e.metadata.requestId ?? '–')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
