// A seeded, synthetic log shaped like a national deployment: ~400 municipality slots × 3 programmes,
// each with successive grants over ten years (2015–2024), amendments, monthly drawdowns, proofs of
// use, closings, positions, staffing changes, continuation decisions (some revoked), abolitions.
// Every event is built from the domain's own schemas (`versioned`) and checked with `parseEvent`, so
// projections read it like any recorded event. The schema knows only the 23 Thuringian AGS, so the
// 400 slots are spread over those 23 (slot s → MUNICIPALITIES[s % 23]): a municipality here holds
// ~17 slots' worth of grants and positions.
//
// Events go straight into the store (store.append, many appends in flight so group commit writes big
// transactions): the log is built fast, in calendar order, month by month.
import { MUNICIPALITIES, PROGRAMME_CODES, parseEvent, versioned, type VersionedEvent } from '../../schemas/index.js';
import type { EventMetadata, EventStore } from '../../src/eventstore/index.js';

/** mulberry32: a small, fast, seeded PRNG (same seed → same log). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random RFC 9562 version-4 UUID drawn from `rand`. */
export function seededUuid(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16));
  hex[12] = '4';
  hex[16] = (8 + Math.floor(rand() * 4)).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

const FIRST_YEAR = 2015;
const MONTHS = 120;
/** Month index (0 = 2015-01) → `YYYY-MM-DD` of `day` (clamped to 28). */
const dateOf = (month: number, day: number) => {
  const y = FIRST_YEAR + Math.floor(month / 12);
  const m = (month % 12) + 1;
  return `${y}-${String(m).padStart(2, '0')}-${String(Math.min(day, 28)).padStart(2, '0')}`;
};
const lastDayOf = (month: number) => {
  const y = FIRST_YEAR + Math.floor(month / 12);
  const m = (month % 12) + 1;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${y}-${String(m).padStart(2, '0')}-${last}`;
};

interface PositionPlan {
  id: string;
  role: 'bildungsmanagement' | 'bildungsmonitoring' | 'bildungskoordination' | 'integrationsmanagement' | 'other';
  fte: number;
  /** Month of a vacancy and of the re-staffing, or -1. */
  vacateMonth: number;
  restaffMonth: number;
  decideMonth: number;
  decision: 'own-funds' | 'follow-up-funding' | 'partial' | 'discontinue';
  revokeMonth: number;
  abolishMonth: number;
}

interface GrantPlan {
  id: string;
  startMonth: number;
  endMonth: number;
  amendMonth: number;
  amendedEndMonth: number;
  amountCents: number;
  drawdownCents: number;
  drawdownsPerMonth: number;
  closeMonth: number;
  positions: PositionPlan[];
}

interface LineagePlan {
  municipality: string;
  programme: (typeof PROGRAMME_CODES)[number];
  slot: number;
  grants: GrantPlan[];
}

export interface SyntheticShape {
  /** Municipality slots (default 400). */
  slots: number;
  /** Drawdowns per grant and month. */
  drawdownsPerMonth: number;
  /** Positions per grant. */
  positionsPerGrant: number;
}

/**
 * The shape that gives about `events` events. Measured per lineage (municipality slot × programme):
 * ≈ 107 drawdown-months, ≈ 17.5 other grant events, ≈ 3 grants × positionsPerGrant positions of ≈ 3.9
 * events each.
 */
export function shapeFor(events: number): SyntheticShape {
  const slots = 400;
  const positionsPerGrant = 4;
  const perLineage = events / (slots * 3);
  const drawdownsPerMonth = Math.max(1, Math.round((perLineage - 17.5 - 3 * positionsPerGrant * 3.94) / 107));
  return { slots, positionsPerGrant, drawdownsPerMonth };
}

const ROLES: PositionPlan['role'][] = ['bildungsmanagement', 'bildungsmonitoring', 'bildungskoordination', 'integrationsmanagement', 'other'];
const DECISIONS: PositionPlan['decision'][] = ['own-funds', 'follow-up-funding', 'partial', 'discontinue'];

function planLineages(shape: SyntheticShape, rand: () => number): LineagePlan[] {
  const plans: LineagePlan[] = [];
  for (let slot = 0; slot < shape.slots; slot++) {
    for (const programme of PROGRAMME_CODES) {
      const municipality = MUNICIPALITIES[slot % MUNICIPALITIES.length]!.ags;
      const grants: GrantPlan[] = [];
      let start = (programme === 'bildung-integriert' ? 1 : 13) + Math.floor(rand() * 6);
      while (start + 12 < MONTHS) {
        const length = 30 + Math.floor(rand() * 12);
        const endMonth = start + length - 1;
        const extended = rand() < 0.5;
        const amendedEndMonth = extended ? endMonth + 6 : endMonth;
        const months = amendedEndMonth - start + 1;
        const drawdownCents = 50_000 + Math.floor(rand() * 200_000);
        // Drawdowns use ~90 % of the award, so open grants take more (the HTTP benchmark draws from them).
        const amountCents = Math.ceil((drawdownCents * months * shape.drawdownsPerMonth) / 0.9);
        const positions: PositionPlan[] = Array.from({ length: shape.positionsPerGrant }, () => {
          const vacate = rand() < 0.4 ? start + 6 + Math.floor(rand() * Math.max(1, months - 12)) : -1;
          const decideMonth = amendedEndMonth - 4 - Math.floor(rand() * 8);
          const decision = DECISIONS[Math.floor(rand() * DECISIONS.length)]!;
          return {
            id: seededUuid(rand),
            role: ROLES[Math.floor(rand() * ROLES.length)]!,
            fte: [1, 0.75, 0.5][Math.floor(rand() * 3)]!,
            vacateMonth: vacate,
            restaffMonth: vacate >= 0 ? vacate + 2 : -1,
            decideMonth,
            decision,
            revokeMonth: rand() < 0.1 ? decideMonth + 1 : -1,
            abolishMonth: decision === 'discontinue' ? amendedEndMonth + 1 : -1,
          };
        });
        grants.push({
          id: seededUuid(rand),
          startMonth: start,
          endMonth,
          amendMonth: extended ? endMonth - 5 : start + Math.floor(months / 2),
          amendedEndMonth,
          amountCents,
          drawdownCents,
          drawdownsPerMonth: shape.drawdownsPerMonth,
          closeMonth: amendedEndMonth + 8,
          positions,
        });
        start = amendedEndMonth + 1;
      }
      plans.push({ municipality, programme, slot, grants });
    }
  }
  return plans;
}

type Append = { streamId: string; events: VersionedEvent[] };

/** The events of one lineage in `month`, grouped per stream in the order they happened. */
function eventsInMonth(plan: LineagePlan, month: number): Append[] {
  const out: Append[] = [];
  const add = (streamId: string, event: VersionedEvent) => {
    const last = out[out.length - 1];
    if (last && last.streamId === streamId) last.events.push(event);
    else out.push({ streamId, events: [event] });
  };
  for (const [g, grant] of plan.grants.entries()) {
    const gs = `grant-${grant.id}`;
    const ref = `FKZ-${plan.slot}-${plan.programme.slice(0, 3)}-${g + 1}`;
    if (month === grant.startMonth - 1) {
      add(
        gs,
        versioned('GrantAwarded', {
          grantId: grant.id,
          municipality: plan.municipality,
          programme: plan.programme,
          reference: ref,
          awardedOn: dateOf(month, 20),
          periodStart: dateOf(grant.startMonth, 1),
          periodEnd: lastDayOf(grant.endMonth),
          amountCents: grant.amountCents,
          fundingRatePercent: 80,
          financingType: 'anteil',
          ownShareCents: Math.round(grant.amountCents / 4),
          spendWithin: { days: 42 },
          finalProofDueMonths: 6,
          earlyStartApprovedOn: null,
        }),
      );
    }
    if (month >= grant.startMonth && month <= grant.amendedEndMonth) {
      if (month === grant.amendMonth) {
        add(
          gs,
          versioned('GrantAmended', {
            amendedOn: dateOf(month, 3),
            periodEnd: grant.amendedEndMonth !== grant.endMonth ? lastDayOf(grant.amendedEndMonth) : null,
            amountCents: grant.amendedEndMonth !== grant.endMonth ? null : grant.amountCents,
            ownShareCents: null,
            reason: 'Änderungsbescheid (synthetisch)',
          }),
        );
      }
    }
    // Positions open with the grant's period.
    for (const [i, p] of grant.positions.entries()) {
      const ps = `position-${p.id}`;
      const person = (n: number) => `P-${plan.slot}-${g}-${i}-${n}`;
      if (month === grant.startMonth) {
        add(
          ps,
          versioned('PositionEstablished', {
            positionId: p.id,
            municipality: plan.municipality,
            programme: plan.programme,
            grantId: grant.id,
            title: `Stelle ${i + 1} (${plan.programme})`,
            role: p.role,
            fte: p.fte,
            payGrade: 'E 11',
            annualCostCents: 7_000_000,
            establishedOn: dateOf(month, 1),
          }),
        );
        add(ps, versioned('PositionStaffed', { personRef: person(1), startsOn: dateOf(month, 1), endsOn: null, fte: p.fte, contractSignedOn: null }));
      }
      if (month === p.vacateMonth) {
        add(ps, versioned('PositionVacated', { vacatedOn: dateOf(month, 14), reason: 'Kündigung (synthetisch)', personRef: person(1) }));
      }
      if (month === p.restaffMonth) {
        add(ps, versioned('PositionStaffed', { personRef: person(2), startsOn: dateOf(month, 1), endsOn: lastDayOf(grant.amendedEndMonth), fte: p.fte, contractSignedOn: null }));
      }
      if (month === p.decideMonth || (p.revokeMonth >= 0 && month === p.revokeMonth + 1)) {
        const council = (p.decideMonth + i) % 2 === 0;
        add(
          ps,
          versioned('ContinuationDecided', {
            decision: p.decision,
            effectiveFrom: dateOf(grant.amendedEndMonth + 1, 1),
            ownFundsSharePercent: p.decision === 'own-funds' ? 100 : p.decision === 'partial' ? 50 : 0,
            decidedBy: council ? 'council' : 'administration',
            resolutionRef: council ? `BV-${month}-${i}` : null,
            decidedOn: dateOf(month, 10),
            followUpGrantId: null,
            followUpEndsOn: null,
          }),
        );
      }
      if (month === p.revokeMonth) {
        add(ps, versioned('ContinuationDecisionRevoked', { revokedOn: dateOf(month, 12), reason: 'Beschluss aufgehoben (synthetisch)' }));
      }
      if (month === p.abolishMonth) {
        add(ps, versioned('PositionAbolished', { abolishedOn: dateOf(month, 1), reason: null, contractOutcome: null }));
      }
    }
    if (month >= grant.startMonth && month <= grant.amendedEndMonth) {
      for (let d = 0; d < grant.drawdownsPerMonth; d++) {
        add(gs, versioned('FundsDrawn', { drawnOn: dateOf(month, 5 + d * 3), amountCents: grant.drawdownCents }));
      }
      if ((month - grant.startMonth) % 12 === 11) {
        add(gs, versioned('ProofOfUseSubmitted', { submittedOn: dateOf(month, 27), kind: 'interim', spentCents: null }));
      }
    }
    if (month === grant.amendedEndMonth + 4) add(gs, versioned('ProofOfUseSubmitted', { submittedOn: dateOf(month, 15), kind: 'final', spentCents: null }));
    if (month === grant.closeMonth) add(gs, versioned('GrantClosed', { closedOn: dateOf(month, 20) }));
  }
  return out;
}

export interface SeedOptions {
  store: EventStore;
  /** About this many events (the log ends at 2024-12 either way). */
  events: number;
  seed?: number;
  /** Called once, when the log first holds at least half the planned events. */
  onHalf?: (events: number) => Promise<void>;
  onProgress?: (events: number) => void;
}

export interface SeedResult {
  events: number;
  /** Open grants (the last of each lineage, not closed before 2025): ids with their period. */
  openGrants: Array<{ id: string; periodStart: string; periodEnd: string }>;
}

const METADATA: EventMetadata = { actor: { sub: 'bench-generator', role: 'admin' } };

/** Appends the synthetic log to `store` (which should hold only the three programmes). */
export async function seedSyntheticLog(options: SeedOptions): Promise<SeedResult> {
  const shape = shapeFor(options.events);
  const rand = prng(options.seed ?? 20150127);
  const plans = planLineages(shape, rand);

  // Count first (cheap), so onHalf fires at half the real total.
  let planned = 0;
  for (let m = 0; m < MONTHS; m++) for (const plan of plans) for (const a of eventsInMonth(plan, m)) planned += a.events.length;

  let written = 0;
  let halfDone = false;
  // A year of a lineage at a time, each stream's events of that year in one append: fewer, bigger
  // appends build the log faster; each stream's order and the calendar order of years are kept.
  for (let month = 0; month < MONTHS; month += 12) {
    const appends = plans.flatMap((plan) => {
      const byStream = new Map<string, Append>();
      for (let m = month; m < month + 12; m++) {
        for (const a of eventsInMonth(plan, m)) {
          const seen = byStream.get(a.streamId);
          if (seen) seen.events.push(...a.events);
          else byStream.set(a.streamId, a);
        }
      }
      return [...byStream.values()];
    });
    // Every 25th append goes through the schemas: a generator bug fails here, not in a rebuild.
    for (let i = month % 25; i < appends.length; i += 25) for (const e of appends[i]!.events) parseEvent(e.type, e.schemaVersion, e.data);
    // All of a month in flight at once: the store's group commit writes up to 256 appends per transaction.
    const IN_FLIGHT = 4096;
    for (let i = 0; i < appends.length; i += IN_FLIGHT) {
      await Promise.all(
        appends.slice(i, i + IN_FLIGHT).map((a) => options.store.append(a.streamId, a.events, { expectedVersion: 'any', metadata: METADATA })),
      );
    }
    written += appends.reduce((n, a) => n + a.events.length, 0);
    options.onProgress?.(written);
    if (!halfDone && written >= planned / 2 && options.onHalf) {
      halfDone = true;
      await options.onHalf(written);
    }
  }

  const openGrants = plans.flatMap((plan) => {
    const last = plan.grants[plan.grants.length - 1]!;
    return last.closeMonth >= MONTHS ? [{ id: last.id, periodStart: dateOf(last.startMonth, 1), periodEnd: lastDayOf(last.amendedEndMonth) }] : [];
  });
  return { events: written, openGrants };
}
