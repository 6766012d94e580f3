// The Verlauf of a record page: every event of the record's stream in German words, recorded
// by whom, when; or, for a role without the permission, who may see it.
import type { StoredEvent } from '../../../eventstore/index.js';
import { formatInstant } from '../../format.js';
import { actorWords, eventInWords } from '../../words.js';

/** The Verlauf of a record: what, recorded by whom, when. */
export function History({ events, show }: { events: StoredEvent[]; show: boolean }) {
  return (
    <section class="vst-section" aria-labelledby="verlauf">
      <h2 class="kern-heading-medium" id="verlauf">
        Verlauf
      </h2>
      {!show ? (
        <p class="kern-body">Den Verlauf mit den einzelnen Einträgen darf Ihre Rolle nicht sehen.</p>
      ) : (
        <div class="kern-table-responsive vst-table-wrap" tabindex={0} role="region" aria-labelledby="verlauf-titel">
          <table class="kern-table kern-table--small" data-testid="verlauf">
            <caption class="kern-title kern-title--small" id="verlauf-titel">
              Alle Einträge, ältester zuerst
            </caption>
            <thead class="kern-table__head">
              <tr class="kern-table__row">
                <th scope="col" class="kern-table__header">Erfasst am</th>
                <th scope="col" class="kern-table__header">Was</th>
                <th scope="col" class="kern-table__header">Von wem</th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {events.map((e) => (
                <tr class="kern-table__row">
                  <td class="kern-table__cell">{formatInstant(e.recordedAt)}</td>
                  <td class="kern-table__cell">{eventInWords(e)}</td>
                  <td class="kern-table__cell">{actorWords(e)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
