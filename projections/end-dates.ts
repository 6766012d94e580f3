// Read model "end dates": per position, when its funding ends (the grant's period end in force
// after amendments, capped by the programme's end, moved by follow-up funding), when its programme ends, how many days remain on `asOf`, and when the
// contract of the person in post ends.
import type { AsOfQuery, Executor, Projection, ProjectedEvent } from './types.js';
import { TableBuffer, flushAll } from './batch.js';
import { foldFundingFacts, loadFundingRows } from './funding-fold.js';
import {
  decisionsOf,
  loadFunding,
  positionFunding,
  programmeEndOf,
} from './position-funding.js';
import { rowInPostOn, staffedColumns, vacateRows } from './staffing-rows.js';
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
  /**
   * The last funded day: the grant's period end in force (the amendment with the latest
   * amendedOn), capped by the programme's end, moved by follow-up funding known on asOf.
   */
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
  /** Notes in German: the programme ends before the grant, follow-up funding took over. */
  notes: string[];
}

/** Applies `events` to the end-dates tables, in a few statements. */
export async function applyEndDatesBatch(events: readonly ProjectedEvent[], trx: Executor): Promise<void> {
  const programmes = new TableBuffer('end_dates_programmes', ['programme'], ['programme', 'ends_on']);
  const grants = new TableBuffer('end_dates_grants', ['grant_id'], [
    'grant_id', 'municipality', 'programme', 'awarded_on', 'period_end', 'period_end_amended_on', 'early_start_approved_on',
  ]);
  const positions = new TableBuffer('end_dates_positions', ['position_id'], [
    'position_id', 'municipality', 'programme', 'grant_id', 'title', 'role', 'fte_hundredths', 'established_on', 'abolished_on', 'decisions',
  ]);
  const staffings = new TableBuffer('end_dates_staffings', ['position_id', 'seq'], [
    'position_id', 'seq', 'municipality', 'programme', 'person_ref', 'starts_on', 'ends_on', 'vacated_on', 'contract_signed_on', 'last_day',
  ]);
  const staffed: string[] = [];
  const vacated: string[] = [];
  for (const event of events) {
    if (event.type === 'PositionStaffed') staffed.push(streamEntityId(event.streamId));
    else if (event.type === 'PositionVacated') vacated.push(streamEntityId(event.streamId));
  }
  const buffers = { programmes, grants, positions };
  await loadFundingRows(trx, events, buffers, staffed);
  await staffings.load(trx, 'position_id', vacated);
  for (const event of events) {
    foldFundingFacts(event, buffers);
    const id = streamEntityId(event.streamId);
    switch (event.type) {
      case 'GrantAwarded': {
        const d = event.data;
        grants.insert({
          grant_id: d.grantId,
          municipality: d.municipality,
          programme: d.programme,
          awarded_on: d.awardedOn,
          period_end: d.periodEnd,
          period_end_amended_on: null,
          early_start_approved_on: d.earlyStartApprovedOn,
        });
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
          decisions: [],
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
          ...staffedColumns(d),
          contract_signed_on: d.contractSignedOn,
        });
        break;
      }
      case 'PositionVacated':
        vacateRows(staffings, id, event.data);
        break;
      default:
        break;
    }
  }
  await flushAll(trx, programmes, grants, positions, staffings);
}

export const endDatesProjection: Projection = { name: 'end-dates', tables: END_DATES_TABLES, applyBatch: applyEndDatesBatch };

/** The end-dates view for `asOf`, soonest funding end first. */
export async function queryEndDates(db: Executor, query: AsOfQuery): Promise<EndDateItem[]> {
  const { asOf } = query;
  const rows = await whereScope(db.selectFrom('end_dates_positions as p').selectAll('p'), query, 'p').execute();
  const { grants: grantRow, programmes: programmeRow, funding } = await loadFunding(db, 'end_dates', rows);
  const staffings = await whereScope(db.selectFrom('end_dates_staffings').selectAll().orderBy('position_id').orderBy('seq'), query).execute();
  const byPosition = new Map<string, any[]>();
  for (const s of staffings) {
    const list = byPosition.get(s.position_id);
    if (list) list.push(s);
    else byPosition.set(s.position_id, [s]);
  }

  const items = rows.map((r: any): EndDateItem => {
    const position = positionFunding(funding.get(r.grant_id), decisionsOf(r.decisions), asOf, (id) => funding.get(id));
    const fundingEndsOn = position.fundingEndsOn;
    const programmeEndsOn = programmeEndOf(programmeRow.get(r.programme), r.programme);
    const grant = grantRow.get(r.grant_id);
    const mine = byPosition.get(r.position_id) ?? [];
    const inPost = mine.filter((s) => rowInPostOn(s, asOf));
    const ends: (string | null)[] = inPost.map((s) => s.last_day);
    const contractEndsOn = ends.length === 0 || ends.includes(null) ? null : (ends as string[]).sort().at(-1)!;
    const warnings: string[] = [];
    // DOMAIN.md: no staffing before the grant notice (förderschädlicher Maßnahmebeginn) unless an
    // early start was approved — a warning, not a refusal: the municipality may pay itself. The
    // measure begins when the contract is concluded, so the signing date counts where recorded.
    for (const s of mine) {
      if (!grant) continue;
      const begun: string = s.contract_signed_on ?? s.starts_on;
      const what = s.contract_signed_on ? `Arbeitsvertrag unterschrieben am ${germanDate(s.contract_signed_on)}` : `Besetzung ab ${germanDate(s.starts_on)}`;
      if (begun >= grant.awarded_on) continue;
      const approved: string | null = grant.early_start_approved_on ?? null;
      if (approved !== null && begun >= approved) continue;
      warnings.push(
        approved !== null
          ? `${what}, vor dem genehmigten vorzeitigen Maßnahmebeginn am ${germanDate(approved)} und vor dem Zuwendungsbescheid vom ${germanDate(grant.awarded_on)}: förderschädlicher Maßnahmebeginn.`
          : `${what} vor dem Zuwendungsbescheid vom ${germanDate(grant.awarded_on)}: förderschädlicher Maßnahmebeginn, sofern kein vorzeitiger Maßnahmebeginn genehmigt wurde.`,
      );
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
      notes: position.notes,
    };
  });
  return items.sort(
    (a, b) =>
      (a.fundingEndsOn ?? '9999').localeCompare(b.fundingEndsOn ?? '9999') ||
      a.municipality.localeCompare(b.municipality) ||
      a.positionId.localeCompare(b.positionId),
  );
}
