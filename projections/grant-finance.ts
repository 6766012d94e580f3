// Read model "grant finance": per grant what the finance office tracks — awarded, drawn and
// remaining money, the drawdowns and amendments, the proof-of-use deadlines and their status,
// and drawn money held past its spending window (an interest risk). Stores the ledger facts;
// deadlines, status and the money drawn are computed for `asOf`.
//
// Two kinds of "as of" meet here, deliberately treated differently:
// - Dated ledger movements count on their own date: `drawnCents`, `remainingCents`, the
//   `drawdowns` list and `heldBeyondWindowCents` include only drawdowns with drawnOn ≤ asOf, so
//   the list always adds up to drawnCents.
// - The grant notice as amended is a known fact: `awardedCents`, `periodEnd` and the deadlines
//   derived from it, and the `amendments` list reflect EVERY recorded amendment, also one whose
//   amendedOn is after asOf. The view answers "what do we know about this grant, looked at on
//   asOf", not "what did the notice say on asOf"; the latter is the auditor's replay (as-of.ts).
import type { AsOfQuery, Executor, Projection, ProjectedEvent } from './types.js';
import { TableBuffer, addCents, flushAll } from './batch.js';
import { amendmentsInEffectOrder, termsInForce } from '../schemas/index.js';
import { amendedPeriodEnd } from './position-funding.js';
import { addDays, addMonths, endOfMonthAfter, fromHundredths, hundredths, num, streamEntityId, whereScope, yearOf } from './support.js';

export const GRANT_FINANCE_TABLES = ['grant_finance_grants', 'grant_finance_drawdowns', 'grant_finance_amendments', 'grant_finance_proofs'] as const;

/**
 * The proof-of-use status on asOf, first match wins:
 * 'verwendungsnachweis-eingereicht' — the final proof was submitted on or before asOf;
 * 'verwendungsnachweis-überfällig' — asOf is after finalProofDueOn without a final proof;
 * 'zwischennachweis-überfällig' — fewer interim proofs submitted than interim deadlines passed
 *   (one per budget year that ends inside the period, due 30 April of the following year);
 * 'zwischennachweis-eingereicht' — at least one interim proof, nothing overdue;
 * 'offen' — nothing submitted, nothing overdue.
 */
export type ProofOfUseStatus =
  | 'offen'
  | 'zwischennachweis-eingereicht'
  | 'zwischennachweis-überfällig'
  | 'verwendungsnachweis-eingereicht'
  | 'verwendungsnachweis-überfällig';

export interface DrawdownItem {
  drawnOn: string;
  amountCents: number;
  /** The last day of the spending window: drawnOn + the window's days or calendar months (clamped to the month's end). */
  spendBy: string;
  /**
   * The part of the drawdown no proof of use submitted on or before asOf accounts for: the
   * spending the proofs report clears the oldest drawdowns first; a final proof or the closure
   * clears everything.
   */
  unspentCents: number;
  /** True when asOf is after spendBy and part of the drawdown is still unspent. */
  beyondWindow: boolean;
}

export interface AmendmentItem {
  amendedOn: string;
  periodEnd: string | null;
  amountCents: number | null;
  /** The new own share the notice sets (null = unchanged). */
  ownShareCents: number | null;
  reason: string;
}

export interface GrantFinanceItem {
  grantId: string;
  municipality: string;
  programme: string;
  reference: string;
  awardedOn: string;
  periodStart: string;
  periodEnd: string;
  originalPeriodEnd: string;
  financingType: string;
  fundingRatePercent: number;
  /** The own share in force after every recorded amendment. */
  ownShareCents: number;
  originalOwnShareCents: number;
  /** The awarded total after every recorded amendment (see the file header). */
  awardedCents: number;
  originalAmountCents: number;
  /** The sum of the drawdowns with drawnOn ≤ asOf (= the sum of `drawdowns`). */
  drawnCents: number;
  /** awardedCents − drawnCents. */
  remainingCents: number;
  /** The unspent part of the drawdowns flagged beyondWindow; 0 once a final proof or the closure documents the spending. */
  heldBeyondWindowCents: number;
  /** The spending window: `{ days }` or `{ months }`. */
  spendWithin: { days: number } | { months: number };
  /** The spending window in days, null when it is given in months. */
  spendWithinDays: number | null;
  /** The drawdowns with drawnOn ≤ asOf, in log order. */
  drawdowns: DrawdownItem[];
  /** Every recorded amendment, in the order they take effect (amendedOn, then as recorded). */
  amendments: AmendmentItem[];
  proofs: { submittedOn: string; kind: 'interim' | 'final'; spentCents: number | null }[];
  interimProofsDueOn: string[];
  finalProofDueOn: string;
  nextProofDueOn: string | null;
  proofOfUseStatus: ProofOfUseStatus;
  closedOn: string | null;
}

/** Applies `events` to the grant-finance tables, in a few statements. */
export async function applyGrantFinanceBatch(events: readonly ProjectedEvent[], trx: Executor): Promise<void> {
  const grants = new TableBuffer('grant_finance_grants', ['grant_id'], [
    'grant_id', 'municipality', 'programme', 'reference', 'awarded_on', 'period_start', 'period_end', 'original_period_end',
    'awarded_cents', 'original_amount_cents', 'drawn_cents', 'funding_rate_hundredths', 'financing_type', 'own_share_cents',
    'spend_within_days', 'final_proof_due_months', 'closed_on', 'spend_within_months', 'period_end_amended_on', 'amount_amended_on',
  ]);
  const child = (table: string, columns: string[]) => new TableBuffer(table, ['grant_id', 'seq'], ['grant_id', 'seq', 'municipality', 'programme', ...columns]);
  const amendments = child('grant_finance_amendments', ['amended_on', 'period_end', 'amount_cents', 'reason', 'own_share_cents']);
  const drawdowns = child('grant_finance_drawdowns', ['drawn_on', 'amount_cents']);
  const proofs = child('grant_finance_proofs', ['submitted_on', 'kind', 'spent_cents']);
  const grantIds: string[] = [];
  for (const event of events) {
    if (event.type === 'GrantAwarded') grantIds.push(event.data.grantId);
    else if (event.type === 'GrantAmended' || event.type === 'FundsDrawn' || event.type === 'ProofOfUseSubmitted' || event.type === 'GrantClosed') {
      grantIds.push(streamEntityId(event.streamId));
    }
  }
  await grants.load(trx, 'grant_id', grantIds);
  // A child row takes its keys from the grant row; without a grant row nothing is written.
  const addChild = (buffer: TableBuffer, g: Readonly<Record<string, unknown>>, seq: number, values: Record<string, unknown>) =>
    buffer.insert({ grant_id: g.grant_id, seq, municipality: g.municipality, programme: g.programme, ...values });
  for (const event of events) {
    const grantId = streamEntityId(event.streamId);
    switch (event.type) {
      case 'GrantAwarded': {
        const d = event.data;
        grants.insert({
          grant_id: d.grantId,
          municipality: d.municipality,
          programme: d.programme,
          reference: d.reference,
          awarded_on: d.awardedOn,
          period_start: d.periodStart,
          period_end: d.periodEnd,
          original_period_end: d.periodEnd,
          awarded_cents: d.amountCents,
          original_amount_cents: d.amountCents,
          drawn_cents: 0,
          funding_rate_hundredths: hundredths(d.fundingRatePercent),
          financing_type: d.financingType,
          own_share_cents: d.ownShareCents,
          spend_within_days: 'days' in d.spendWithin ? d.spendWithin.days : null,
          spend_within_months: 'months' in d.spendWithin ? d.spendWithin.months : null,
          final_proof_due_months: d.finalProofDueMonths,
          closed_on: null,
          period_end_amended_on: null,
          amount_amended_on: null,
        });
        break;
      }
      case 'GrantAmended': {
        const g = grants.get(grantId);
        if (!g) break;
        const d = event.data;
        addChild(amendments, g, event.streamVersion, {
          amended_on: d.amendedOn,
          period_end: d.periodEnd,
          amount_cents: d.amountCents,
          reason: d.reason,
          own_share_cents: d.ownShareCents,
        });
        // period_end and awarded_cents (read by the lists) follow the notice with the latest
        // amendedOn, not the last recorded; the view folds the amendments the same way.
        const set: Record<string, unknown> = { ...(amendedPeriodEnd(g, d) ?? {}) };
        const amountSetOn = g.amount_amended_on as string | null | undefined;
        if (d.amountCents !== null && (amountSetOn === null || amountSetOn === undefined || d.amendedOn >= amountSetOn)) {
          set.awarded_cents = d.amountCents;
          set.amount_amended_on = d.amendedOn;
        }
        grants.update(g, set);
        break;
      }
      case 'FundsDrawn': {
        const g = grants.get(grantId);
        if (!g) break;
        addChild(drawdowns, g, event.streamVersion, { drawn_on: event.data.drawnOn, amount_cents: event.data.amountCents });
        grants.update(g, { drawn_cents: addCents(g.drawn_cents, event.data.amountCents) });
        break;
      }
      case 'ProofOfUseSubmitted': {
        const g = grants.get(grantId);
        if (g) addChild(proofs, g, event.streamVersion, { submitted_on: event.data.submittedOn, kind: event.data.kind, spent_cents: event.data.spentCents });
        break;
      }
      case 'GrantClosed': {
        const g = grants.get(grantId);
        if (g) grants.update(g, { closed_on: event.data.closedOn });
        break;
      }
      default:
        break;
    }
  }
  await flushAll(trx, grants, amendments, drawdowns, proofs);
}

export const grantFinanceProjection: Projection = {
  name: 'grant-finance',
  tables: GRANT_FINANCE_TABLES,
  applyBatch: applyGrantFinanceBatch,
};

/**
 * The day the final proof of use (Verwendungsnachweis) is due: the last day of the
 * finalProofDueMonths-th month after the period ends. ANBest-P Nr. 6.1: the proof is due
 * "spätestens mit Ablauf des sechsten auf den Bewilligungszeitraum folgenden Monats" — at the END
 * of that month, not on the same day of it (30 Jun + 6 → 31 Dec; 31 Aug + 6 → 28/29 Feb).
 */
export function finalProofDueOn(periodEnd: string, finalProofDueMonths: number): string {
  return endOfMonthAfter(periodEnd, finalProofDueMonths);
}

/**
 * The interim proof (Zwischennachweis) deadlines: one for every budget year that ends inside the
 * period, due 30 April of the following year (ANBest-P Nr. 6.1: within four months after the
 * budget year whose end the purpose outlasts; DOMAIN.md). Computed from the period end in force,
 * so an amendment that moves the end adds or removes years. With `finalDueOn`, a deadline on or
 * after it is dropped: the final proof, due first, covers that year too.
 */
export function interimProofsDueOn(periodStart: string, periodEnd: string, finalDueOn?: string): string[] {
  const dues: string[] = [];
  for (let year = yearOf(periodStart); year < yearOf(periodEnd); year++) dues.push(`${year + 1}-04-30`);
  return finalDueOn === undefined ? dues : dues.filter((due) => due < finalDueOn);
}

/** The grant-finance view for `asOf`, by municipality, programme and reference. */
export async function queryGrantFinance(db: Executor, query: AsOfQuery): Promise<GrantFinanceItem[]> {
  const { asOf } = query;
  const grants = await whereScope(db.selectFrom('grant_finance_grants').selectAll(), query).execute();
  const children = async (table: string) => {
    const rows = await whereScope(db.selectFrom(table).selectAll().orderBy('grant_id').orderBy('seq'), query).execute();
    const map = new Map<string, any[]>();
    for (const r of rows) {
      const list = map.get(r.grant_id);
      if (list) list.push(r);
      else map.set(r.grant_id, [r]);
    }
    return map;
  };
  const [drawdowns, amendments, proofs] = await Promise.all([
    children('grant_finance_drawdowns'),
    children('grant_finance_amendments'),
    children('grant_finance_proofs'),
  ]);
  const items = grants.map((g: any): GrantFinanceItem => {
    const spendWithinMonths = g.spend_within_months === null || g.spend_within_months === undefined ? null : num(g.spend_within_months);
    const spendWithinDays = spendWithinMonths === null ? num(g.spend_within_days) : null;
    const spendWithin = spendWithinMonths === null ? { days: spendWithinDays! } : { months: spendWithinMonths };
    const myAmendments = amendmentsInEffectOrder(
      (amendments.get(g.grant_id) ?? []).map((a) => ({
        amendedOn: a.amended_on as string,
        periodEnd: a.period_end as string | null,
        amountCents: a.amount_cents === null ? null : num(a.amount_cents),
        ownShareCents: a.own_share_cents === null || a.own_share_cents === undefined ? null : num(a.own_share_cents),
        reason: a.reason as string,
      })),
    );
    // The notice with the latest amendedOn governs each term, whatever the order recorded.
    const terms = termsInForce(
      { periodEnd: g.original_period_end, amountCents: num(g.original_amount_cents), ownShareCents: num(g.own_share_cents) },
      myAmendments,
    );
    const myProofs = (proofs.get(g.grant_id) ?? []).map((p) => ({
      submittedOn: p.submitted_on as string,
      kind: p.kind as 'interim' | 'final',
      spentCents: p.spent_cents === null || p.spent_cents === undefined ? null : num(p.spent_cents),
    }));
    const submitted = myProofs.filter((p) => p.submittedOn <= asOf);
    const finalSubmitted = submitted.some((p) => p.kind === 'final');
    // The final proof of use documents how the drawn money was spent (its zahlenmäßiger Nachweis
    // and Belegliste), and a grant is closed only after it was checked: from then on nothing
    // counts as held beyond the spending window, even though no single expenditure is recorded.
    const spendingDocumented = finalSubmitted || (g.closed_on !== null && g.closed_on <= asOf);
    const drawn = (drawdowns.get(g.grant_id) ?? []).filter((d) => d.drawn_on <= asOf);
    // Issue 14 item 1: a proof of use accounts for the money spent up to it; the spending it
    // reports clears the oldest drawdowns (drawn on or before it) first.
    const unspent = drawn.map((d) => num(d.amount_cents));
    const oldestFirst = drawn.map((d, i) => ({ d, i })).sort((a, b) => (a.d.drawn_on < b.d.drawn_on ? -1 : a.d.drawn_on > b.d.drawn_on ? 1 : a.i - b.i));
    for (const proof of [...submitted].sort((a, b) => (a.submittedOn < b.submittedOn ? -1 : a.submittedOn > b.submittedOn ? 1 : 0))) {
      let spent = proof.spentCents ?? 0;
      for (const { d, i } of oldestFirst) {
        if (spent <= 0) break;
        if (d.drawn_on > proof.submittedOn) continue;
        const cleared = Math.min(spent, unspent[i]!);
        unspent[i]! -= cleared;
        spent -= cleared;
      }
    }
    const myDrawdowns = drawn.map((d, i): DrawdownItem => {
      const spendBy = spendWithinMonths === null ? addDays(d.drawn_on, spendWithinDays!) : addMonths(d.drawn_on, spendWithinMonths);
      const unspentCents = spendingDocumented ? 0 : unspent[i]!;
      return { drawnOn: d.drawn_on, amountCents: num(d.amount_cents), spendBy, unspentCents, beyondWindow: unspentCents > 0 && spendBy < asOf };
    });
    // ANBest-P 1.4 / ANBest-GK: drawn money must be spent within the window (six weeks for
    // federal grants, two months in several Länder); held longer it accrues interest (5 points
    // above the base rate, § 49a VwVfG).
    const heldBeyondWindowCents = myDrawdowns.filter((d) => d.beyondWindow).reduce((sum, d) => sum + d.unspentCents, 0);
    const periodEnd = terms.periodEnd;
    const finalDue = finalProofDueOn(periodEnd, num(g.final_proof_due_months));
    const interimDues = interimProofsDueOn(g.period_start, periodEnd, finalDue);
    const interimSubmitted = submitted.filter((p) => p.kind === 'interim').length;
    const interimPassed = interimDues.filter((due) => due < asOf).length;
    let status: ProofOfUseStatus;
    if (finalSubmitted) status = 'verwendungsnachweis-eingereicht';
    else if (asOf > finalDue) status = 'verwendungsnachweis-überfällig';
    else if (interimSubmitted < interimPassed) status = 'zwischennachweis-überfällig';
    else if (interimSubmitted > 0) status = 'zwischennachweis-eingereicht';
    else status = 'offen';
    const nextProofDueOn = finalSubmitted ? null : (interimDues[interimSubmitted] ?? finalDue);
    const awardedCents = terms.amountCents;
    // Drawn as of asOf (the stored running total counts every recorded drawdown).
    const drawnCents = myDrawdowns.reduce((sum, d) => sum + d.amountCents, 0);
    return {
      grantId: g.grant_id,
      municipality: g.municipality,
      programme: g.programme,
      reference: g.reference,
      awardedOn: g.awarded_on,
      periodStart: g.period_start,
      periodEnd,
      originalPeriodEnd: g.original_period_end,
      financingType: g.financing_type,
      fundingRatePercent: fromHundredths(g.funding_rate_hundredths),
      ownShareCents: terms.ownShareCents,
      originalOwnShareCents: num(g.own_share_cents),
      awardedCents,
      originalAmountCents: num(g.original_amount_cents),
      drawnCents,
      remainingCents: awardedCents - drawnCents,
      heldBeyondWindowCents,
      spendWithin,
      spendWithinDays,
      drawdowns: myDrawdowns,
      amendments: myAmendments,
      proofs: myProofs,
      interimProofsDueOn: interimDues,
      finalProofDueOn: finalDue,
      nextProofDueOn,
      proofOfUseStatus: status,
      closedOn: g.closed_on,
    };
  });
  return items.sort(
    (a, b) => a.municipality.localeCompare(b.municipality) || a.programme.localeCompare(b.programme) || a.reference.localeCompare(b.reference) || a.grantId.localeCompare(b.grantId),
  );
}
