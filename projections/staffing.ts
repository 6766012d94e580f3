// Read model "staffing": per municipality × programme × role, how many positions exist and how
// much of their FTE is filled on a date. Stores positions and staffings as facts; which position
// exists and who is in post on `asOf` is decided at query time.
import type { AsOfQuery, Executor, Projection, ProjectedEvent } from './types.js';
import { TableBuffer, flushAll } from './batch.js';
import { staffedColumns, vacateRows } from './staffing-rows.js';
import { fromHundredths, hundredths, streamEntityId, whereScope } from './support.js';

export const STAFFING_TABLES = ['staffing_positions', 'staffing_assignments'] as const;

/** One row of the staffing view. FTE values are numbers with at most two decimals. */
export interface StaffingItem {
  municipality: string;
  programme: string;
  role: string;
  /** Positions established on or before asOf and not abolished by then. */
  positions: number;
  plannedFte: number;
  /** FTE of the people in post on asOf (startsOn ≤ asOf ≤ the last day in post, src/domain/staffing-period.ts). */
  filledFte: number;
  vacantFte: number;
}

/** Applies `events` to the staffing tables, in a few statements. */
export async function applyStaffingBatch(events: readonly ProjectedEvent[], trx: Executor): Promise<void> {
  const positions = new TableBuffer('staffing_positions', ['position_id'], [
    'position_id', 'municipality', 'programme', 'role', 'fte_hundredths', 'established_on', 'abolished_on',
  ]);
  const assignments = new TableBuffer('staffing_assignments', ['position_id', 'seq'], [
    'position_id', 'seq', 'municipality', 'programme', 'role', 'person_ref', 'starts_on', 'ends_on', 'vacated_on', 'fte_hundredths', 'last_day',
  ]);
  const positionIds: string[] = [];
  const vacated: string[] = [];
  for (const event of events) {
    if (event.type === 'PositionEstablished') positionIds.push(event.data.positionId);
    else if (event.type === 'PositionStaffed' || event.type === 'PositionAbolished') positionIds.push(streamEntityId(event.streamId));
    else if (event.type === 'PositionVacated') vacated.push(streamEntityId(event.streamId));
  }
  await positions.load(trx, 'position_id', positionIds);
  await assignments.load(trx, 'position_id', vacated);
  for (const event of events) {
    switch (event.type) {
      case 'PositionEstablished': {
        const d = event.data;
        positions.insert({
          position_id: d.positionId,
          municipality: d.municipality,
          programme: d.programme,
          role: d.role,
          fte_hundredths: hundredths(d.fte),
          established_on: d.establishedOn,
          abolished_on: null,
        });
        break;
      }
      case 'PositionStaffed': {
        const p = positions.get(streamEntityId(event.streamId));
        if (!p) break;
        const d = event.data;
        assignments.insert({
          position_id: p.position_id,
          seq: event.streamVersion,
          municipality: p.municipality,
          programme: p.programme,
          role: p.role,
          ...staffedColumns(d),
          fte_hundredths: hundredths(d.fte),
        });
        break;
      }
      case 'PositionVacated':
        vacateRows(assignments, streamEntityId(event.streamId), event.data);
        break;
      case 'PositionAbolished': {
        const p = positions.get(streamEntityId(event.streamId));
        if (p) positions.update(p, { abolished_on: event.data.abolishedOn });
        break;
      }
      default:
        break;
    }
  }
  await flushAll(trx, positions, assignments);
}

export const staffingProjection: Projection = { name: 'staffing', tables: STAFFING_TABLES, applyBatch: applyStaffingBatch };

/** True when a position counts on `asOf`: established by then and not yet abolished (abolishedOn is the first day without it). */
export function positionExistsOn(establishedOn: string, abolishedOn: string | null, asOf: string): boolean {
  return establishedOn <= asOf && (abolishedOn === null || asOf < abolishedOn);
}

/** The staffing view for `asOf`, ordered by municipality, programme and role. */
export async function queryStaffing(db: Executor, query: AsOfQuery): Promise<StaffingItem[]> {
  const { asOf } = query;
  const positions = await whereScope(db.selectFrom('staffing_positions').selectAll(), query).execute();
  const assignments = await whereScope(
    db
      .selectFrom('staffing_assignments')
      .selectAll()
      // In post on asOf (src/domain/staffing-period.ts): last_day is the stored lastDayInPost.
      .where('starts_on', '<=', asOf)
      .where((eb: any) => eb.or([eb('last_day', 'is', null), eb('last_day', '>=', asOf)])),
    query,
  ).execute();
  const filledByPosition = new Map<string, number>();
  for (const a of assignments) {
    filledByPosition.set(a.position_id, (filledByPosition.get(a.position_id) ?? 0) + Number(a.fte_hundredths));
  }
  const groups = new Map<string, { municipality: string; programme: string; role: string; positions: number; planned: number; filled: number }>();
  for (const p of positions) {
    if (!positionExistsOn(p.established_on, p.abolished_on, asOf)) continue;
    const key = `${p.municipality}|${p.programme}|${p.role}`;
    const g = groups.get(key) ?? { municipality: p.municipality, programme: p.programme, role: p.role, positions: 0, planned: 0, filled: 0 };
    g.positions += 1;
    g.planned += Number(p.fte_hundredths);
    g.filled += Math.min(filledByPosition.get(p.position_id) ?? 0, Number(p.fte_hundredths));
    groups.set(key, g);
  }
  return [...groups.values()]
    .sort((a, b) => a.municipality.localeCompare(b.municipality) || a.programme.localeCompare(b.programme) || a.role.localeCompare(b.role))
    .map((g) => ({
      municipality: g.municipality,
      programme: g.programme,
      role: g.role,
      positions: g.positions,
      plannedFte: fromHundredths(g.planned),
      filledFte: fromHundredths(g.filled),
      vacantFte: fromHundredths(g.planned - g.filled),
    }));
}
