// The part of the batched fold the three read models that show a position's funding share (end
// dates, continuation risk, own funds): which programmes, grants and positions a batch touches, a
// programme's recorded end, a grant's period end after an amendment, a position's continuation
// decisions and its abolition. Each model folds its own columns besides (its GrantAwarded and
// PositionEstablished rows differ).
import type { TableBuffer } from './batch.js';
import { amendedPeriodEnd, decisionFact, decisionsOf, withRevocation } from './position-funding.js';
import { streamEntityId } from './support.js';
import type { Executor, ProjectedEvent } from './types.js';

/** Sets a programme's end in a `<model>_programmes` buffer (programme, ends_on), inserting the row when new. */
function setProgrammeEnd(programmes: TableBuffer, programme: string, endsOn: string | null): void {
  const row = programmes.get(programme);
  if (row) programmes.update(row, { ends_on: endsOn });
  else programmes.insert({ programme, ends_on: endsOn });
}

/**
 * The programme end an event records — registration, an end date set, or a change naming the end —
 * as `[programme code, endsOn]`; undefined for every other event (and a change leaving the end alone).
 */
export function recordedProgrammeEnd(event: ProjectedEvent): [programme: string, endsOn: string | null] | undefined {
  switch (event.type) {
    case 'ProgrammeRegistered':
      return [event.data.code, event.data.endsOn];
    case 'ProgrammeEndDateSet':
      return [streamEntityId(event.streamId), event.data.endsOn];
    case 'ProgrammeChanged':
      return event.data.changes.endsOn === undefined ? undefined : [streamEntityId(event.streamId), event.data.changes.endsOn];
    default:
      return undefined;
  }
}

/**
 * The programmes, grants and positions a batch touches for the read models that keep a
 * programme's end, a grant's period end and a position's continuation decisions (continuation
 * risk, own funds).
 */
function grantAndDecisionKeys(events: readonly ProjectedEvent[]): { grantIds: string[]; positionIds: string[]; programmeCodes: string[] } {
  const grantIds: string[] = [];
  const positionIds: string[] = [];
  const programmeCodes: string[] = [];
  for (const event of events) {
    switch (event.type) {
      case 'ProgrammeRegistered':
        programmeCodes.push(event.data.code);
        break;
      case 'ProgrammeEndDateSet':
      case 'ProgrammeChanged':
        programmeCodes.push(streamEntityId(event.streamId));
        break;
      case 'GrantAwarded':
        grantIds.push(event.data.grantId);
        break;
      case 'GrantAmended':
        grantIds.push(streamEntityId(event.streamId));
        break;
      case 'PositionEstablished':
        positionIds.push(event.data.positionId);
        break;
      case 'ContinuationDecided':
      case 'ContinuationDecisionRevoked':
      case 'PositionAbolished':
        positionIds.push(streamEntityId(event.streamId));
        break;
      default:
        break;
    }
  }
  return { grantIds, positionIds, programmeCodes };
}

/** A funding read model's buffers: `<model>_programmes`, `<model>_grants`, `<model>_positions`. */
export interface FundingBuffers {
  programmes: TableBuffer;
  grants: TableBuffer;
  positions: TableBuffer;
}

/**
 * Loads the rows `events` touch into a funding read model's buffers (one query per table);
 * `positionIds` adds positions the model needs besides (e.g. those staffed in the batch).
 */
export async function loadFundingRows(trx: Executor, events: readonly ProjectedEvent[], buffers: FundingBuffers, positionIds: readonly string[] = []): Promise<void> {
  const keys = grantAndDecisionKeys(events);
  await buffers.programmes.load(trx, 'programme', keys.programmeCodes);
  await buffers.grants.load(trx, 'grant_id', keys.grantIds);
  await buffers.positions.load(trx, 'position_id', [...keys.positionIds, ...positionIds]);
}

/**
 * Folds the events the funding read models handle alike into their buffers: a programme's
 * recorded end (ends_on), a grant's period end in force after an amendment (period_end,
 * period_end_amended_on), a position's continuation decisions and revocations (decisions) and its
 * abolition (abolished_on). Other events, and rows not loaded, are left alone; a model sets its
 * further columns for the same event after this.
 */
export function foldFundingFacts(event: ProjectedEvent, { programmes, grants, positions }: FundingBuffers): void {
  const id = streamEntityId(event.streamId);
  switch (event.type) {
    case 'ProgrammeRegistered':
    case 'ProgrammeEndDateSet':
    case 'ProgrammeChanged': {
      const end = recordedProgrammeEnd(event);
      if (end) setProgrammeEnd(programmes, ...end);
      return;
    }
    case 'GrantAmended': {
      const g = grants.get(id);
      const changes = g ? amendedPeriodEnd(g, event.data) : null;
      if (g && changes) grants.update(g, changes);
      return;
    }
    case 'ContinuationDecided': {
      const p = positions.get(id);
      if (p) positions.update(p, { decisions: [...decisionsOf(p.decisions), decisionFact(event.data)] });
      return;
    }
    case 'ContinuationDecisionRevoked': {
      const p = positions.get(id);
      if (p) positions.update(p, { decisions: withRevocation(decisionsOf(p.decisions), event.data.revokedOn) });
      return;
    }
    case 'PositionAbolished': {
      const p = positions.get(id);
      if (p) positions.update(p, { abolished_on: event.data.abolishedOn });
      return;
    }
    default:
      return;
  }
}
