// Read model "end dates": per position, when its funding ends (the grant's period end in force
// after amendments), when its programme ends, how many days remain on `asOf`, and when the
// contract of the person in post ends.
import { programmeFacts } from '../schemas/index.js';
import type { AsOfQuery, Executor, Projection, ProjectedEvent } from './types.js';
import { TableBuffer, flushAll } from './batch.js';
import { inPostOn } from './staffing.js';
import { daysBetween, germanDate, hundredths, monthsBetween, streamEntityId, whereScope } from './support.js';

export const END_DATES_TABLES = ['end_dates_programmes', 'end_dates_grants', 'end_dates_positions', 'end_dates_staffings'] as const;

/** One position in the end-dates view. */
export interface EndDateItem {
  positionId: string;
  municipality: string;
  programme: string;
  grantId: string;
  title: string;
  role: string;
  /** The last funded day: the grant's period end in force (after amendments). */
  fundingEndsOn: string | null;
  /** The programme's last possible day (recorded, else the seed default); null while it continues. */
  programmeEndsOn: string | null;
  /** Days from asOf to fundingEndsOn: 0 on the last funded day, negative once funding ended. */
  daysRemaining: number | null;
  /** Whole months from asOf to fundingEndsOn (truncated). */
  monthsRemaining: number | null;
  /** How many people are in post on asOf. */
  personsInPost: number;
  /** The latest last day in post of the people in post on asOf; null when nobody is in post or a contract is open-ended. */
  contractEndsOn: string | null;
  abolishedOn: string | null;
  /** Warnings in German (e.g. staffing before the grant notice). */
  warnings: string[];
}

/** Applies one event to the end-dates tables. */
export async function applyEndDates(event: ProjectedEvent, trx: Executor): Promise<void> {
  const id = streamEntityId(event.streamId);
  switch (event.type) {
    case 'ProgrammeRegistered':
      await trx
        .insertInto('end_dates_programmes')
        .values({ programme: event.data.code, ends_on: event.data.endsOn })
        .onConflict((oc: any) => oc.column('programme').doUpdateSet({ ends_on: event.data.endsOn }))
        .execute();
      return;
    case 'ProgrammeEndDateSet':
      await trx
        .insertInto('end_dates_programmes')
        .values({ programme: id, ends_on: event.data.endsOn })
        .onConflict((oc: any) => oc.column('programme').doUpdateSet({ ends_on: event.data.endsOn }))
        .execute();
      return;
    case 'ProgrammeChanged': {
      const endsOn = event.data.changes.endsOn;
      if (endsOn === undefined) return;
      await trx
        .insertInto('end_dates_programmes')
        .values({ programme: id, ends_on: endsOn })
        .onConflict((oc: any) => oc.column('programme').doUpdateSet({ ends_on: endsOn }))
        .execute();
      return;
    }
    case 'GrantAwarded': {
      const d = event.data;
      await trx
        .insertInto('end_dates_grants')
        .values({ grant_id: d.grantId, municipality: d.municipality, programme: d.programme, awarded_on: d.awardedOn, period_end: d.periodEnd })
        .execute();
      return;
    }
    case 'GrantAmended':
      if (event.data.periodEnd !== null) {
        await trx.updateTable('end_dates_grants').set({ period_end: event.data.periodEnd }).where('grant_id', '=', id).execute();
      }
      return;
    case 'PositionEstablished': {
      const d = event.data;
      await trx
        .insertInto('end_dates_positions')
        .values({
          position_id: d.positionId,
          municipality: d.municipality,
          programme: d.programme,
          grant_id: d.grantId,
          title: d.title,
          role: d.role,
          fte_hundredths: hundredths(d.fte),
          established_on: d.establishedOn,
          abolished_on: null,
        })
        .execute();
      return;
    }
    case 'PositionStaffed': {
      const d = event.data;
      await trx
        .insertInto('end_dates_staffings')
        .columns(['position_id', 'seq', 'municipality', 'programme', 'person_ref', 'starts_on', 'ends_on', 'vacated_on'])
        .expression((eb: any) =>
          eb
            .selectFrom('end_dates_positions')
            .select([
              'position_id',
              eb.val(event.streamVersion).as('seq'),
              'municipality',
              'programme',
              eb.val(d.personRef).as('person_ref'),
              eb.val(d.startsOn).as('starts_on'),
              eb.cast(eb.val(d.endsOn), 'text').as('ends_on'),
              eb.cast(eb.val(null), 'text').as('vacated_on'),
            ])
            .where('position_id', '=', id),
        )
        .execute();
      return;
    }
    case 'PositionVacated': {
      const d = event.data;
      let q = trx
        .updateTable('end_dates_staffings')
        .set({ vacated_on: d.vacatedOn })
        .where('position_id', '=', id)
        .where('starts_on', '<=', d.vacatedOn)
        .where((eb: any) =>
          eb.or([
            eb(eb.fn('least', ['ends_on', 'vacated_on']), 'is', null),
            eb(eb.fn('least', ['ends_on', 'vacated_on']), '>=', d.vacatedOn),
          ]),
        );
      if (d.personRef !== null) q = q.where('person_ref', '=', d.personRef);
      await q.execute();
      return;
    }
    case 'PositionAbolished':
      await trx.updateTable('end_dates_positions').set({ abolished_on: event.data.abolishedOn }).where('position_id', '=', id).execute();
      return;
    default:
      return;
  }
}

/** Applies `events` to the end-dates tables with the result of applyEndDates on each, in a few statements. */
export async function applyEndDatesBatch(events: readonly ProjectedEvent[], trx: Executor): Promise<void> {
  const programmes = new TableBuffer('end_dates_programmes', ['programme'], ['programme', 'ends_on']);
  const grants = new TableBuffer('end_dates_grants', ['grant_id'], ['grant_id', 'municipality', 'programme', 'awarded_on', 'period_end']);
  const positions = new TableBuffer('end_dates_positions', ['position_id'], [
    'position_id', 'municipality', 'programme', 'grant_id', 'title', 'role', 'fte_hundredths', 'established_on', 'abolished_on',
  ]);
  const staffings = new TableBuffer('end_dates_staffings', ['position_id', 'seq'], [
    'position_id', 'seq', 'municipality', 'programme', 'person_ref', 'starts_on', 'ends_on', 'vacated_on',
  ]);
  const keys = { programmes: [] as string[], grants: [] as string[], positions: [] as string[], vacated: [] as string[] };
  for (const event of events) {
    const id = streamEntityId(event.streamId);
    switch (event.type) {
      case 'ProgrammeRegistered':
        keys.programmes.push(event.data.code);
        break;
      case 'ProgrammeEndDateSet':
      case 'ProgrammeChanged':
        keys.programmes.push(id);
        break;
      case 'GrantAwarded':
        keys.grants.push(event.data.grantId);
        break;
      case 'GrantAmended':
        if (event.data.periodEnd !== null) keys.grants.push(id);
        break;
      case 'PositionEstablished':
        keys.positions.push(event.data.positionId);
        break;
      case 'PositionStaffed':
      case 'PositionAbolished':
        keys.positions.push(id);
        break;
      case 'PositionVacated':
        keys.vacated.push(id);
        break;
      default:
        break;
    }
  }
  await programmes.load(trx, 'programme', keys.programmes);
  await grants.load(trx, 'grant_id', keys.grants);
  await positions.load(trx, 'position_id', keys.positions);
  await staffings.load(trx, 'position_id', keys.vacated);
  const setProgrammeEnd = (programme: string, endsOn: string | null) => {
    const row = programmes.get(programme);
    if (row) programmes.update(row, { ends_on: endsOn });
    else programmes.insert({ programme, ends_on: endsOn });
  };
  for (const event of events) {
    const id = streamEntityId(event.streamId);
    switch (event.type) {
      case 'ProgrammeRegistered':
        setProgrammeEnd(event.data.code, event.data.endsOn);
        break;
      case 'ProgrammeEndDateSet':
        setProgrammeEnd(id, event.data.endsOn);
        break;
      case 'ProgrammeChanged':
        if (event.data.changes.endsOn !== undefined) setProgrammeEnd(id, event.data.changes.endsOn);
        break;
      case 'GrantAwarded': {
        const d = event.data;
        grants.insert({ grant_id: d.grantId, municipality: d.municipality, programme: d.programme, awarded_on: d.awardedOn, period_end: d.periodEnd });
        break;
      }
      case 'GrantAmended': {
        const g = event.data.periodEnd === null ? undefined : grants.get(id);
        if (g) grants.update(g, { period_end: event.data.periodEnd });
        break;
      }
      case 'PositionEstablished': {
        const d = event.data;
        positions.insert({
          position_id: d.positionId,
          municipality: d.municipality,
          programme: d.programme,
          grant_id: d.grantId,
          title: d.title,
          role: d.role,
          fte_hundredths: hundredths(d.fte),
          established_on: d.establishedOn,
          abolished_on: null,
        });
        break;
      }
      case 'PositionStaffed': {
        const p = positions.get(id);
        if (!p) break;
        const d = event.data;
        staffings.insert({
          position_id: p.position_id,
          seq: event.streamVersion,
          municipality: p.municipality,
          programme: p.programme,
          person_ref: d.personRef,
          starts_on: d.startsOn,
          ends_on: d.endsOn,
          vacated_on: null,
        });
        break;
      }
      case 'PositionVacated': {
        const d = event.data;
        for (const s of staffings.children(id)) {
          if (inPostOn(s, d.vacatedOn) && (d.personRef === null || s.person_ref === d.personRef)) staffings.update(s, { vacated_on: d.vacatedOn });
        }
        break;
      }
      case 'PositionAbolished': {
        const p = positions.get(id);
        if (p) positions.update(p, { abolished_on: event.data.abolishedOn });
        break;
      }
      default:
        break;
    }
  }
  await flushAll(trx, programmes, grants, positions, staffings);
}

export const endDatesProjection: Projection = { name: 'end-dates', tables: END_DATES_TABLES, apply: applyEndDates, applyBatch: applyEndDatesBatch };

/** The end-dates view for `asOf`, soonest funding end first. */
export async function queryEndDates(db: Executor, query: AsOfQuery): Promise<EndDateItem[]> {
  const { asOf } = query;
  const rows = await whereScope(
    db
      .selectFrom('end_dates_positions as p')
      .leftJoin('end_dates_grants as g', 'g.grant_id', 'p.grant_id')
      .leftJoin('end_dates_programmes as pr', 'pr.programme', 'p.programme')
      .select([
        'p.position_id',
        'p.municipality',
        'p.programme',
        'p.grant_id',
        'p.title',
        'p.role',
        'p.abolished_on',
        'g.period_end',
        'g.awarded_on',
        'pr.programme as registered_programme',
        'pr.ends_on as programme_ends_on',
      ]),
    query,
    'p',
  ).execute();
  const staffings = await whereScope(db.selectFrom('end_dates_staffings').selectAll().orderBy('position_id').orderBy('seq'), query).execute();
  const byPosition = new Map<string, any[]>();
  for (const s of staffings) {
    const list = byPosition.get(s.position_id);
    if (list) list.push(s);
    else byPosition.set(s.position_id, [s]);
  }

  const items = rows.map((r: any): EndDateItem => {
    const fundingEndsOn: string | null = r.period_end ?? null;
    const programmeEndsOn: string | null =
      r.registered_programme !== null ? r.programme_ends_on : (programmeFacts(r.programme)?.endsOn ?? null);
    const mine = byPosition.get(r.position_id) ?? [];
    const lastDay = (s: any): string | null =>
      s.vacated_on === null ? s.ends_on : s.ends_on === null || s.vacated_on < s.ends_on ? s.vacated_on : s.ends_on;
    const inPost = mine.filter((s) => s.starts_on <= asOf && (lastDay(s) === null || asOf <= lastDay(s)!));
    const ends = inPost.map(lastDay);
    const contractEndsOn = ends.length === 0 || ends.includes(null) ? null : (ends as string[]).sort().at(-1)!;
    const warnings: string[] = [];
    // DOMAIN.md: no staffing before the grant notice (förderschädlicher Maßnahmebeginn) unless an
    // early start was approved — a warning, not a refusal: the municipality may pay itself.
    for (const s of mine) {
      if (r.awarded_on && s.starts_on < r.awarded_on) {
        warnings.push(
          `Besetzung ab ${germanDate(s.starts_on)} vor dem Zuwendungsbescheid vom ${germanDate(r.awarded_on)}: förderschädlicher Maßnahmebeginn, sofern kein vorzeitiger Maßnahmebeginn genehmigt wurde.`,
        );
      }
    }
    return {
      positionId: r.position_id,
      municipality: r.municipality,
      programme: r.programme,
      grantId: r.grant_id,
      title: r.title,
      role: r.role,
      fundingEndsOn,
      programmeEndsOn,
      daysRemaining: fundingEndsOn === null ? null : daysBetween(asOf, fundingEndsOn),
      monthsRemaining: fundingEndsOn === null ? null : monthsBetween(asOf, fundingEndsOn),
      personsInPost: inPost.length,
      contractEndsOn,
      abolishedOn: r.abolished_on,
      warnings,
    };
  });
  return items.sort(
    (a, b) =>
      (a.fundingEndsOn ?? '9999').localeCompare(b.fundingEndsOn ?? '9999') ||
      a.municipality.localeCompare(b.municipality) ||
      a.positionId.localeCompare(b.positionId),
  );
}
