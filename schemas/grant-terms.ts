// The terms of a grant in force after its amendments (Änderungsbescheide), shared by the grant
// decider and the read models so both read the same notice: the notice with the later `amendedOn`
// governs, whatever the order in which the notices were recorded (old notices are often imported
// after newer ones). Notices of the same day apply in the order recorded.

/** The part of an amendment that changes terms; null = that term unchanged. */
export interface AmendmentTerms {
  amendedOn: string;
  periodEnd: string | null;
  amountCents: number | null;
  ownShareCents: number | null;
}

/** What the grant notice fixed and the amendments may change. */
export interface GrantTerms {
  periodEnd: string;
  amountCents: number;
  ownShareCents: number;
}

/**
 * The amendments in the order they take effect: by `amendedOn`, ties in the order recorded (the
 * order of `amendments`). Does not change its argument.
 */
export function amendmentsInEffectOrder<A extends { amendedOn: string }>(amendments: readonly A[]): A[] {
  return amendments
    .map((a, i) => ({ a, i }))
    .sort((x, y) => (x.a.amendedOn < y.a.amendedOn ? -1 : x.a.amendedOn > y.a.amendedOn ? 1 : x.i - y.i))
    .map((x) => x.a);
}

/**
 * The terms in force: each term as set by the amendment with the latest `amendedOn` that sets it
 * (the notice's own value when none does).
 */
export function termsInForce(notice: GrantTerms, amendments: readonly AmendmentTerms[]): GrantTerms {
  const terms = { ...notice };
  for (const a of amendmentsInEffectOrder(amendments)) {
    if (a.periodEnd !== null) terms.periodEnd = a.periodEnd;
    if (a.amountCents !== null) terms.amountCents = a.amountCents;
    if (a.ownShareCents !== null) terms.ownShareCents = a.ownShareCents;
  }
  return terms;
}

/**
 * The own share an Anteilfinanzierung fixes for an awarded amount: the funder pays `rate` % of the
 * eligible cost, the municipality the rest, so own share = amount × (100 − rate) / rate (60 % →
 * amount × 40/60), in whole cents rounded half up, exactly (rates have at most two decimals).
 * Null for a rate of 0.
 */
export function ownShareForRate(amountCents: number, fundingRatePercent: number): number | null {
  const rate = BigInt(Math.round(fundingRatePercent * 100));
  if (rate <= 0n) return null;
  const numerator = BigInt(amountCents) * (10_000n - rate);
  return Number((2n * numerator + rate) / (2n * rate));
}
