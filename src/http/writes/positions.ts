// POST routes of a position: establishing, staffing, vacancies, continuation decisions and their
// revocation, abolition, and the corrections (void, correction, reversal of a staffing or of a
// decision), which name the version the clerk saw.
import {
  AbolishPositionBody,
  CorrectPositionBody,
  DecideContinuationBody,
  EstablishPositionBody,
  ReverseEntryBody,
  RevokeContinuationDecisionBody,
  StaffPositionBody,
  VacatePositionBody,
  VoidRecordBody,
} from '../../../schemas/index.js';
import {
  abolishPosition,
  correctPosition,
  decideContinuation,
  establishPosition,
  reverseContinuationDecision,
  reverseStaffing,
  revokeContinuationDecision,
  staffPosition,
  vacatePosition,
  voidPosition,
} from '../../commands/index.js';
import type { EventStore } from '../../eventstore/index.js';
import { action, type AnyAction, idEntryParams, idParam, noParams, ownMunicipality } from './support.js';

const tag = 'Stellen';

/** The position write routes: establishing, staffing, vacancies, decisions and abolition. */
export function positionActions({ store }: { store: EventStore }): AnyAction[] {
  return [
    action(store, {
      status: 201, path: '/positions', tag, summary: 'Stelle einrichten', params: noParams, body: EstablishPositionBody,
      run: (ctx, _p, body) => establishPosition(ctx, body), location: (id) => `/api/v1/positions/${id}`, guard: ownMunicipality,
    }),
    action(store, {
      status: 200, path: '/positions/{id}/staffing', tag, summary: 'Stellenbesetzung erfassen', params: idParam, body: StaffPositionBody,
      run: (ctx, p, body) => staffPosition(ctx, p.id, body),
    }),
    action(store, {
      status: 200, path: '/positions/{id}/vacancies', tag, summary: 'Freiwerden der Stelle erfassen', params: idParam,
      body: VacatePositionBody, run: (ctx, p, body) => vacatePosition(ctx, p.id, body),
    }),
    action(store, {
      status: 200, path: '/positions/{id}/continuation-decisions', tag, summary: 'Verstetigungsentscheidung erfassen', params: idParam,
      body: DecideContinuationBody, run: (ctx, p, body) => decideContinuation(ctx, p.id, body),
    }),
    action(store, {
      status: 200, path: '/positions/{id}/continuation-decisions/revoke', tag, summary: 'Verstetigungsentscheidung aufheben',
      params: idParam, body: RevokeContinuationDecisionBody, run: (ctx, p, body) => revokeContinuationDecision(ctx, p.id, body),
    }),
    action(store, {
      status: 200, path: '/positions/{id}/abolish', tag, summary: 'Stelle streichen', params: idParam, body: AbolishPositionBody,
      run: (ctx, p, body) => abolishPosition(ctx, p.id, body),
    }),
  ];
}

/** Corrections (Storno) of a position: each names the version the clerk saw (If-Match). */
export function positionCorrectionActions({ store }: { store: EventStore }): AnyAction[] {
  return [
    action(store, {
      status: 200, path: '/positions/{id}/void', tag, summary: 'Stelle stornieren (irrtümlich erfasst)', params: idParam,
      body: VoidRecordBody, run: (ctx, p, body) => voidPosition(ctx, p.id, body), requireIfMatch: true,
    }),
    action(store, {
      status: 200, path: '/positions/{id}/corrections', tag, summary: 'Angaben der Stelle korrigieren', params: idParam,
      body: CorrectPositionBody, run: (ctx, p, body) => correctPosition(ctx, p.id, body), requireIfMatch: true,
    }),
    action(store, {
      status: 200, path: '/positions/{id}/staffing/{entry}/reversal', tag, summary: 'Stellenbesetzung stornieren', params: idEntryParams,
      body: ReverseEntryBody, run: (ctx, p, body) => reverseStaffing(ctx, p.id, p.entry, body), requireIfMatch: true,
    }),
    action(store, {
      status: 200, path: '/positions/{id}/continuation-decisions/{entry}/reversal', tag,
      summary: 'Verstetigungsentscheidung stornieren (irrtümlich erfasst)', params: idEntryParams, body: ReverseEntryBody,
      run: (ctx, p, body) => reverseContinuationDecision(ctx, p.id, p.entry, body), requireIfMatch: true,
    }),
  ];
}
