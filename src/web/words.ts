// The product's words on the pages: risk levels, decisions, roles of positions, event types and
// whole events as German sentences ("Weiterführung aus Eigenmitteln ab 01.07.2021 beschlossen
// (KT 2021/044)"). One place, so every page says the same thing the same way.
import { municipalityByAgs, programmeFacts } from '../../schemas/index.js';
import type { RiskLevel } from '../../projections/index.js';
import type { StoredEvent } from '../eventstore/index.js';
import { formatDate, formatDecimal, formatEuro } from './format.js';

/** The municipality's name for an AGS (the AGS itself when unknown). */
export const municipalityName = (ags: string) => municipalityByAgs(ags)?.name ?? ags;

/** The municipalities a person may see, in words. */
export function municipalityNames(list: readonly string[] | '*'): string {
  return list === '*' ? 'alle Kommunen' : list.map(municipalityName).join(', ');
}

/** The programme's name for its code. */
export const programmeName = (code: string) => programmeFacts(code)?.name ?? code;

/** A short programme name for tables and legends (the part before a dash). */
export const programmeShortName = (code: string) => programmeName(code).split(' – ')[0]!;

export const RISK_WORDS: Record<RiskLevel, string> = { high: 'hoch', medium: 'mittel', low: 'niedrig', ended: 'beendet', none: 'keins' };

/** Urgency order of the risk levels: most urgent first. */
export const RISK_ORDER: Record<RiskLevel, number> = { high: 0, medium: 1, none: 2, low: 3, ended: 4 };

export const DECISION_WORDS: Record<string, string> = {
  'own-funds': 'Weiterführung aus Eigenmitteln',
  'follow-up-funding': 'Weiterführung durch Anschlussförderung',
  partial: 'Teilweise Weiterführung',
  discontinue: 'Keine Weiterführung',
};

export const DECIDED_BY_WORDS: Record<string, string> = { council: 'Kreistag/Stadtrat', administration: 'Verwaltung' };

export const POSITION_ROLE_WORDS: Record<string, string> = {
  bildungsmanagement: 'Bildungsmanagement',
  bildungsmonitoring: 'Bildungsmonitoring',
  bildungskoordination: 'Bildungskoordination',
  integrationsmanagement: 'Integrationsmanagement',
  other: 'Sonstige',
};

export const FINANCING_WORDS: Record<string, string> = {
  anteil: 'Anteilfinanzierung',
  fehlbedarf: 'Fehlbedarfsfinanzierung',
  festbetrag: 'Festbetragsfinanzierung',
  voll: 'Vollfinanzierung',
};

export const EVENT_TYPE_WORDS: Record<string, string> = {
  ProgrammeRegistered: 'Programm erfasst',
  ProgrammeEndDateSet: 'Programmende festgelegt',
  GrantAwarded: 'Zuwendung bewilligt',
  GrantAmended: 'Änderungsbescheid',
  FundsDrawn: 'Mittelabruf',
  ProofOfUseSubmitted: 'Nachweis eingereicht',
  GrantClosed: 'Zuwendung abgeschlossen',
  PositionEstablished: 'Stelle eingerichtet',
  PositionStaffed: 'Stelle besetzt',
  PositionVacated: 'Stelle frei geworden',
  ContinuationDecided: 'Weiterführung entschieden',
  ContinuationDecisionRevoked: 'Entscheidung aufgehoben',
  PositionAbolished: 'Stelle gestrichen',
};

/** The event type in German (the stored name when it has no German word yet). */
export const eventTypeWords = (type: string) => EVENT_TYPE_WORDS[type] ?? type;

const ACTOR_ROLE_WORDS: Record<string, string> = { admin: 'Administration', finance: 'Kämmerei', leadership: 'Leitung', auditor: 'Prüfung', system: 'System' };

/** Who recorded an event, in words: "Kämmerei (finance-16053000)". */
export function actorWords(event: Pick<StoredEvent, 'metadata'>): string {
  const actor = event.metadata.actor;
  if (!actor) return 'unbekannt';
  return `${ACTOR_ROLE_WORDS[actor.role] ?? actor.role} (${actor.sub})`;
}

/** One stored event as a German sentence. */
export function eventInWords(event: Pick<StoredEvent, 'type' | 'data'>): string {
  const d = event.data as Record<string, any>;
  switch (event.type) {
    case 'ProgrammeRegistered':
      return `Programm „${d.name ?? d.code}“ erfasst.`;
    case 'ProgrammeEndDateSet':
      return `Programmende auf den ${formatDate(d.endsOn ?? d.endDate)} festgelegt.`;
    case 'GrantAwarded':
      return `Zuwendung ${d.reference} über ${formatEuro(d.amountCents)} bewilligt am ${formatDate(d.awardedOn)} für ${formatDate(d.periodStart)} bis ${formatDate(d.periodEnd)} (Eigenanteil ${formatEuro(d.ownShareCents)}).`;
    case 'GrantAmended': {
      const parts = [
        d.periodEnd ? `Ende neu ${formatDate(d.periodEnd)}` : null,
        d.amountCents !== null && d.amountCents !== undefined ? `Betrag neu ${formatEuro(d.amountCents)}` : null,
      ].filter(Boolean);
      return `Änderungsbescheid vom ${formatDate(d.amendedOn)}: ${parts.join(', ')} (${d.reason}).`;
    }
    case 'FundsDrawn':
      return `Mittelabruf über ${formatEuro(d.amountCents)} am ${formatDate(d.drawnOn)}.`;
    case 'ProofOfUseSubmitted':
      return `${d.kind === 'final' ? 'Verwendungsnachweis' : 'Zwischennachweis'} eingereicht am ${formatDate(d.submittedOn)}.`;
    case 'GrantClosed':
      return `Zuwendung abgeschlossen am ${formatDate(d.closedOn)}.`;
    case 'PositionEstablished':
      return `Stelle „${d.title}“ (${POSITION_ROLE_WORDS[d.role] ?? d.role}, ${formatDecimal(d.fte)} VZÄ, ${d.payGrade}) eingerichtet zum ${formatDate(d.establishedOn)}.`;
    case 'PositionStaffed':
      return `Besetzt mit ${d.personRef} ab ${formatDate(d.startsOn)}${d.endsOn ? ` bis ${formatDate(d.endsOn)}` : ', unbefristet'} (${formatDecimal(d.fte)} VZÄ).`;
    case 'PositionVacated':
      return `${d.personRef ?? 'Alle Personen'} ${d.personRef ? 'verlässt' : 'verlassen'} die Stelle, letzter Tag ${formatDate(d.vacatedOn)} (${d.reason}).`;
    case 'ContinuationDecided': {
      const ref = d.resolutionRef ? ` (${d.resolutionRef})` : '';
      const share = d.decision === 'partial' ? ` zu ${formatDecimal(d.ownFundsSharePercent)} %` : '';
      return `${DECISION_WORDS[d.decision] ?? d.decision}${share} ab ${formatDate(d.effectiveFrom)} beschlossen${ref} am ${formatDate(d.decidedOn)} durch ${DECIDED_BY_WORDS[d.decidedBy] ?? d.decidedBy}.`;
    }
    case 'ContinuationDecisionRevoked':
      return `Entscheidung über die Weiterführung aufgehoben am ${formatDate(d.revokedOn)} (${d.reason}).`;
    case 'PositionAbolished':
      return `Stelle gestrichen zum ${formatDate(d.abolishedOn)}${d.reason ? ` (${d.reason})` : ''}.`;
    default:
      return eventTypeWords(event.type);
  }
}
