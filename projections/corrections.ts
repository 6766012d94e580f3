// Corrections (Storno) on the read side. A void, a correction or a reversal names a record (a
// grant or a position stream); every read model then re-projects that one stream: its rows are
// deleted and the stream's events up to the correction are applied again, with the corrections
// folded in (a voided record: nothing; a corrected notice: its fields replaced; a reversed entry:
// left out). Every read table is keyed by one stream's record, so this leaves each view exactly as
// if the record had been entered correctly in the first place — or never, for a void.
import { sql } from 'kysely';
import { CORRECTION_EVENT_TYPES } from '../schemas/index.js';
import type { StreamReader } from './stream-reader.js';
import { streamEntityId } from './support.js';
import type { Executor, ProjectedEvent, Projection } from './types.js';

/** Which record each read table's rows belong to: its key column per stream kind. */
export const ROWS_BY_STREAM: Readonly<Record<string, { kind: 'grant' | 'position' | 'programme'; column: string }>> = {
  staffing_positions: { kind: 'position', column: 'position_id' },
  staffing_assignments: { kind: 'position', column: 'position_id' },
  end_dates_programmes: { kind: 'programme', column: 'programme' },
  end_dates_grants: { kind: 'grant', column: 'grant_id' },
  end_dates_positions: { kind: 'position', column: 'position_id' },
  end_dates_staffings: { kind: 'position', column: 'position_id' },
  continuation_risk_programmes: { kind: 'programme', column: 'programme' },
  continuation_risk_grants: { kind: 'grant', column: 'grant_id' },
  continuation_risk_positions: { kind: 'position', column: 'position_id' },
  own_funds_programmes: { kind: 'programme', column: 'programme' },
  own_funds_grants: { kind: 'grant', column: 'grant_id' },
  own_funds_positions: { kind: 'position', column: 'position_id' },
  grant_finance_grants: { kind: 'grant', column: 'grant_id' },
  grant_finance_drawdowns: { kind: 'grant', column: 'grant_id' },
  grant_finance_amendments: { kind: 'grant', column: 'grant_id' },
  grant_finance_proofs: { kind: 'grant', column: 'grant_id' },
};

/** True for the events that correct earlier ones (void, correction, reversal). */
export function isCorrection(event: ProjectedEvent): boolean {
  return CORRECTION_EVENT_TYPES.has(event.type);
}

/**
 * A stream's events (in stream order, none of them a correction after `upTo`) with its
 * corrections applied: empty after a void; GrantCorrected / PositionCorrected merged into the
 * event that created the record; reversed drawdowns, staffings and decisions left out; the
 * correction events themselves dropped. Pure.
 */
export function correctedStream(events: readonly ProjectedEvent[]): ProjectedEvent[] {
  if (events.some((e) => e.type === 'GrantVoided' || e.type === 'PositionVoided')) return [];
  const reversed = new Set<number>();
  let created: ProjectedEvent | undefined;
  const out: ProjectedEvent[] = [];
  for (const e of events) {
    switch (e.type) {
      case 'DrawdownReversed':
      case 'StaffingReversed':
      case 'ContinuationDecisionReversed':
        reversed.add(e.data.entry);
        break;
      case 'GrantCorrected':
      case 'PositionCorrected':
        if (created) {
          // A corrected spending window in days (its older spelling) replaces the notice's window.
          const { spendWithinDays, ...changes } = e.data.changes as Record<string, unknown>;
          if (spendWithinDays !== undefined) changes.spendWithin = { days: spendWithinDays };
          const merged = { ...created, data: { ...created.data, ...changes } } as ProjectedEvent;
          out[out.indexOf(created)] = merged;
          created = merged;
        }
        break;
      default:
        if (e.type === 'GrantAwarded' || e.type === 'PositionEstablished') created = e;
        out.push(e);
    }
  }
  return out.filter((e) => !reversed.has(e.streamVersion));
}

/** The kind of record a stream holds, by its id prefix. */
function streamKind(streamId: string): 'grant' | 'position' | undefined {
  if (streamId.startsWith('grant-')) return 'grant';
  if (streamId.startsWith('position-')) return 'position';
  return undefined;
}

/** Deletes every row of `projection`'s tables that belongs to the record of `streamId`. */
async function deleteRecordRows(projection: Projection, trx: Executor, streamId: string): Promise<void> {
  const kind = streamKind(streamId);
  if (!kind) return;
  const id = streamEntityId(streamId);
  for (const table of projection.tables) {
    const rows = ROWS_BY_STREAM[table];
    if (!rows) throw new Error(`read table ${table} of projection ${projection.name} is not in ROWS_BY_STREAM`);
    if (rows.kind !== kind) continue;
    await sql`delete from ${sql.table(table)} where ${sql.ref(rows.column)} = ${id}`.execute(trx);
  }
}

/**
 * Applies `events` (consecutive, in log order) to `projection`: runs of ordinary events through
 * `applyRun` (its batched fold), and at each correction re-projects the stream it names, read
 * through `readStream` (share one reader between the read models of a batch: readOncePerBatch).
 */
export async function applyWithCorrections(
  projection: Projection,
  events: readonly ProjectedEvent[],
  trx: Executor,
  applyRun: (run: readonly ProjectedEvent[]) => Promise<void>,
  readStream: StreamReader,
): Promise<void> {
  let start = 0;
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    if (!isCorrection(event)) continue;
    if (i > start) await applyRun(events.slice(start, i));
    start = i + 1;
    await deleteRecordRows(projection, trx, event.streamId);
    const stream = correctedStream(await readStream(trx, event.streamId, event.globalPosition));
    if (stream.length > 0) await applyRun(stream);
  }
  if (start < events.length) await applyRun(start === 0 ? events : events.slice(start));
}

/** The number of positions (not voided) that stand on a grant, from the read side. */
export async function countPositionsOnGrant(db: Executor, grantId: string): Promise<number> {
  const row = await db
    .selectFrom('end_dates_positions')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('grant_id', '=', grantId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
