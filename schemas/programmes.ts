// The seed facts of the three funding programmes (DOMAIN.md, "The three programmes of the seed").
// Facts marked (unverified) could not be confirmed from a primary source: they are defaults a user
// can change (POST /programmes/{code}/changes), never hard-coded law. More programmes (successors,
// new Land programmes) are registered with POST /programmes.
import type { FinancingType, PositionRole } from './fields.js';
import type { FunderKind, ProgrammeCode } from './primitives.js';

/** What verstetigt knows about a programme before any event is recorded. */
export interface ProgrammeFacts {
  readonly code: ProgrammeCode;
  readonly name: string;
  readonly funderKind: FunderKind;
  readonly funderName: string;
  /** The guideline or legal basis, as text. */
  readonly legalBasis: string;
  /** Date of the guideline (Förderrichtlinie), `YYYY-MM-DD`. */
  readonly guidelineDate: string;
  /** First day funded positions can start, `YYYY-MM-DD`. */
  readonly startsOn: string;
  /** Last possible funded day, `YYYY-MM-DD`; `null` while the programme continues. */
  readonly endsOn: string | null;
  /** The roles the programme funds. */
  readonly fundedRoles: readonly PositionRole[];
  /** What its grants get when a notice leaves the field out (only verified facts). */
  readonly grantDefaults: { readonly financingType?: FinancingType; readonly fundingRatePercent?: number };
}

/** The three programmes of the seed, in the order DOMAIN.md lists them. */
export const PROGRAMMES: readonly ProgrammeFacts[] = Object.freeze([
  {
    code: 'bildung-integriert',
    name: 'Bildung integriert',
    funderKind: 'bund',
    funderName: 'BMBF',
    legalBasis:
      'Richtlinie des BMBF zur Förderung von "Bildung integriert" vom 27.01.2015, kofinanziert aus dem ESF',
    guidelineDate: '2015-01-27',
    // Start taken as the guideline date (unverified: the first grants may have started later).
    startsOn: '2015-01-27',
    // First term 3 years, extension by up to 2 years; the latest possible end was 30.06.2021.
    endsOn: '2021-06-30',
    // Up to 2 positions per municipality: Bildungsmanagement and Bildungsmonitoring. The rate
    // varied by Land (Thuringian rate unverified): no default.
    fundedRoles: ['bildungsmanagement', 'bildungsmonitoring'],
    grantDefaults: { financingType: 'anteil' },
  },
  {
    code: 'neuzugewanderte',
    name: 'Kommunale Koordinierung der Bildungsangebote für Neuzugewanderte',
    funderKind: 'bund',
    funderName: 'BMBF',
    legalBasis:
      'Richtlinie des BMBF zur Förderung kommunaler Koordinierung der Bildungsangebote für Neuzugewanderte vom 14.01.2016',
    guidelineDate: '2016-01-14',
    // Start taken as the guideline date (unverified).
    startsOn: '2016-01-14',
    // A changeable default (unverified): first 2 years plus an extension by 2 more, so end dates
    // differ by start date; 31.12.2020 is assumed as the programme's end until a user sets the
    // real date with SetProgrammeEndDate.
    endsOn: '2020-12-31',
    // Coordinators; personnel costs funded up to 100 % (100 % in practice).
    fundedRoles: ['bildungskoordination'],
    grantDefaults: { financingType: 'voll', fundingRatePercent: 100 },
  },
  {
    code: 'thilik',
    name: 'ThILIK – Thüringer Initiative für lokales Integrationsmanagement in den Kommunen',
    funderKind: 'land',
    funderName: 'Land Thüringen',
    legalBasis:
      'Armutspräventionsrichtlinie (ESF) 2016–2021; ab 2022 Sozialstrategierichtlinie (ESF Plus)',
    // Exact guideline date unverified; the programme started in May 2016.
    guidelineDate: '2016-05-01',
    startsOn: '2016-05-01',
    // Continued from 2022 under the Sozialstrategierichtlinie: no end known.
    endsOn: null,
    // One integration manager per municipality; rate unverified (100 % seen in Ilm-Kreis): no default.
    fundedRoles: ['integrationsmanagement'],
    grantDefaults: {},
  },
] as const satisfies readonly ProgrammeFacts[]);

/** The seed facts of one programme, or `undefined` for an unknown code. */
export function programmeFacts(code: string): ProgrammeFacts | undefined {
  return PROGRAMMES.find((p) => p.code === code);
}
