// The 23 Thuringian Landkreise and kreisfreie Städte of 2019 (17 + 6), keyed by their 8-digit AGS.
// Eisenach joined the Wartburgkreis in 2021; the list keeps the 2019 state because the seed grants
// (2015–2021) were awarded to the municipalities as they were then.

/** Whether a municipality is a city outside any district or a district. */
export type MunicipalityKind = 'kreisfreie-stadt' | 'landkreis';

/** A Thuringian municipality that can receive grants and employ staff (a tenant of verstetigt). */
export interface Municipality {
  /** Amtlicher Gemeindeschlüssel, 8 digits (16 = Thüringen). */
  readonly ags: string;
  readonly name: string;
  readonly kind: MunicipalityKind;
}

/** All 23 municipalities of 2019, kreisfreie Städte first, each group in AGS order. */
export const MUNICIPALITIES: readonly Municipality[] = Object.freeze([
  { ags: '16051000', name: 'Erfurt', kind: 'kreisfreie-stadt' },
  { ags: '16052000', name: 'Gera', kind: 'kreisfreie-stadt' },
  { ags: '16053000', name: 'Jena', kind: 'kreisfreie-stadt' },
  { ags: '16054000', name: 'Suhl', kind: 'kreisfreie-stadt' },
  { ags: '16055000', name: 'Weimar', kind: 'kreisfreie-stadt' },
  { ags: '16056000', name: 'Eisenach', kind: 'kreisfreie-stadt' },
  { ags: '16061000', name: 'Eichsfeld', kind: 'landkreis' },
  { ags: '16062000', name: 'Nordhausen', kind: 'landkreis' },
  { ags: '16063000', name: 'Wartburgkreis', kind: 'landkreis' },
  { ags: '16064000', name: 'Unstrut-Hainich-Kreis', kind: 'landkreis' },
  { ags: '16065000', name: 'Kyffhäuserkreis', kind: 'landkreis' },
  { ags: '16066000', name: 'Schmalkalden-Meiningen', kind: 'landkreis' },
  { ags: '16067000', name: 'Gotha', kind: 'landkreis' },
  { ags: '16068000', name: 'Sömmerda', kind: 'landkreis' },
  { ags: '16069000', name: 'Hildburghausen', kind: 'landkreis' },
  { ags: '16070000', name: 'Ilm-Kreis', kind: 'landkreis' },
  { ags: '16071000', name: 'Weimarer Land', kind: 'landkreis' },
  { ags: '16072000', name: 'Sonneberg', kind: 'landkreis' },
  { ags: '16073000', name: 'Saalfeld-Rudolstadt', kind: 'landkreis' },
  { ags: '16074000', name: 'Saale-Holzland-Kreis', kind: 'landkreis' },
  { ags: '16075000', name: 'Saale-Orla-Kreis', kind: 'landkreis' },
  { ags: '16076000', name: 'Greiz', kind: 'landkreis' },
  { ags: '16077000', name: 'Altenburger Land', kind: 'landkreis' },
] as const satisfies readonly Municipality[]);

const byAgs = new Map(MUNICIPALITIES.map((m) => [m.ags, m] as const));

/** The municipality with this AGS, or `undefined` when it is not one of the 23. */
export function municipalityByAgs(ags: string): Municipality | undefined {
  return byAgs.get(ags);
}
