// POST routes of a grant: the notice, amendments, drawdowns, proofs of use, closing, and the
// corrections (void, correction, reversal of a drawdown), which name the version the clerk saw.
import {
  AmendGrantBody,
  AwardGrantBody,
  CloseGrantBody,
  CorrectGrantBody,
  DrawFundsBody,
  ReverseEntryBody,
  SubmitProofOfUseBody,
  VoidRecordBody,
} from '../../../schemas/index.js';
import { amendGrant, awardGrant, closeGrant, correctGrant, drawFunds, reverseDrawdown, submitProofOfUse, voidGrant } from '../../commands/index.js';
import type { EventStore } from '../../eventstore/index.js';
import { action, type AnyAction, idEntryParams, idParam, noParams, ownMunicipality, type WriteRouteDependencies } from './support.js';

const tag = 'Zuwendungen';

/** The grant write routes: the notice, amendments, drawdowns, proofs of use and closing. */
export function grantActions({ store }: { store: EventStore }): AnyAction[] {
  return [
    action(store, {
      status: 201, path: '/grants', tag, summary: 'Zuwendungsbescheid erfassen', params: noParams, body: AwardGrantBody,
      run: (ctx, _p, body) => awardGrant(ctx, body), location: (id) => `/api/v1/grants/${id}`, guard: ownMunicipality,
    }),
    action(store, {
      status: 200, path: '/grants/{id}/amendments', tag, summary: 'Änderungsbescheid erfassen', params: idParam, body: AmendGrantBody,
      run: (ctx, p, body) => amendGrant(ctx, p.id, body),
    }),
    action(store, {
      status: 200, path: '/grants/{id}/drawdowns', tag, summary: 'Mittelabruf erfassen', params: idParam, body: DrawFundsBody,
      run: (ctx, p, body) => drawFunds(ctx, p.id, body),
    }),
    action(store, {
      status: 200, path: '/grants/{id}/proof-of-use', tag, summary: 'Zwischen- oder Verwendungsnachweis erfassen', params: idParam,
      body: SubmitProofOfUseBody, run: (ctx, p, body) => submitProofOfUse(ctx, p.id, body),
    }),
    action(store, {
      status: 200, path: '/grants/{id}/close', tag, summary: 'Zuwendung abschließen', params: idParam, body: CloseGrantBody,
      run: (ctx, p, body) => closeGrant(ctx, p.id, body),
    }),
  ];
}

/** Corrections (Storno) of a grant: each names the version the clerk saw (If-Match). */
export function grantCorrectionActions({ store, positionsOnGrant }: WriteRouteDependencies): AnyAction[] {
  return [
    action(store, {
      status: 200, path: '/grants/{id}/void', tag, summary: 'Zuwendung stornieren (irrtümlich erfasst)', params: idParam,
      body: VoidRecordBody, run: (ctx, p, body) => voidGrant(ctx, p.id, body, positionsOnGrant), requireIfMatch: true,
    }),
    action(store, {
      status: 200, path: '/grants/{id}/corrections', tag, summary: 'Angaben des Zuwendungsbescheids korrigieren', params: idParam,
      body: CorrectGrantBody, run: (ctx, p, body) => correctGrant(ctx, p.id, body), requireIfMatch: true,
    }),
    action(store, {
      status: 200, path: '/grants/{id}/drawdowns/{entry}/reversal', tag, summary: 'Mittelabruf stornieren', params: idEntryParams,
      body: ReverseEntryBody, run: (ctx, p, body) => reverseDrawdown(ctx, p.id, p.entry, body), requireIfMatch: true,
    }),
  ];
}
