// The seed facts of the three funding programmes (DOMAIN.md, "The three programmes of the seed").
// Facts marked (unverified) could not be confirmed from a primary source: they are defaults a user
// can change with SetProgrammeEndDate, never hard-coded law.
import type { Funder, ProgrammeCode } from './primitives.js';

/** What verstetigt knows about a programme before any event is recorded. */
export interface ProgrammeFacts {
  readonly code: ProgrammeCode;
  readonly name: string;
  readonly funder: Funder;
  /** The guideline or legal basis, as text. */
  readonly legalBasis: string;
  /** Date of the guideline (Förderrichtlinie), `YYYY-MM-DD`. */
  readonly guidelineDate: string;
  /** First day funded positions can start, `YYYY-MM-DD`. */
  readonly startsOn: string;
  /** Last possible funded day, `YYYY-MM-DD`; `null` while the programme continues. */
  readonly endsOn: string | null;
}

/** The three programmes of the seed, in the order DOMAIN.md lists them. */
export const PROGRAMMES: readonly ProgrammeFacts[] = Object.freeze([
  {
    code: 'bildung-integriert',
    name: 'Bildung integriert',
    funder: 'BMBF',
    legalBasis:
      'Richtlinie des BMBF zur Förderung von "Bildung integriert" vom 27.01.2015, kofinanziert aus dem ESF',
    guidelineDate: '2015-01-27',
    // Start taken as the guideline date (unverified: the first grants may have started later).
    startsOn: '2015-01-27',
    // First term 3 years, extension by up to 2 years; the latest possible end was 30.06.2021.
    endsOn: '2021-06-30',
  },
  {
    code: 'neuzugewanderte',
    name: 'Kommunale Koordinierung der Bildungsangebote für Neuzugewanderte',
    funder: 'BMBF',
    legalBasis:
      'Richtlinie des BMBF zur Förderung kommunaler Koordinierung der Bildungsangebote für Neuzugewanderte vom 14.01.2016',
    guidelineDate: '2016-01-14',
    // Start taken as the guideline date (unverified).
    startsOn: '2016-01-14',
    // A changeable default (unverified): first 2 years plus an extension by 2 more, so end dates
    // differ by start date; 31.12.2020 is assumed as the programme's end until a user sets the
    // real date with SetProgrammeEndDate.
    endsOn: '2020-12-31',
  },
  {
    code: 'thilik',
    name: 'ThILIK – Thüringer Initiative für lokales Integrationsmanagement in den Kommunen',
    funder: 'Land Thüringen',
    legalBasis:
      'Armutspräventionsrichtlinie (ESF) 2016–2021; ab 2022 Sozialstrategierichtlinie (ESF Plus)',
    // Exact guideline date unverified; the programme started in May 2016.
    guidelineDate: '2016-05-01',
    startsOn: '2016-05-01',
    // Continued from 2022 under the Sozialstrategierichtlinie: no end known.
    endsOn: null,
  },
] as const satisfies readonly ProgrammeFacts[]);

/** The seed facts of one programme, or `undefined` for an unknown code. */
export function programmeFacts(code: string): ProgrammeFacts | undefined {
  return PROGRAMMES.find((p) => p.code === code);
}
