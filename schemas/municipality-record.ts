// The shape of one entry in the register of German Landkreise and kreisfreie Städte (Kreisebene),
// keyed by the 8-digit Amtlicher Gemeindeschlüssel (5-digit Kreisschlüssel + "000").
// The data itself lives in ./municipalities.data.ts.

/** The 16 Länder by their two-letter code (ISO 3166-2:DE suffix). */
export const LAENDER = {
  SH: 'Schleswig-Holstein',
  HH: 'Hamburg',
  NI: 'Niedersachsen',
  HB: 'Bremen',
  NW: 'Nordrhein-Westfalen',
  HE: 'Hessen',
  RP: 'Rheinland-Pfalz',
  BW: 'Baden-Württemberg',
  BY: 'Bayern',
  SL: 'Saarland',
  BE: 'Berlin',
  BB: 'Brandenburg',
  MV: 'Mecklenburg-Vorpommern',
  SN: 'Sachsen',
  ST: 'Sachsen-Anhalt',
  TH: 'Thüringen',
} as const;

export type Land = keyof typeof LAENDER;

/** Kreisfreie Stadt (incl. Stadtkreis, Berlin, Hamburg) or Landkreis (incl. Kreis, Region, Städteregion, Regionalverband). */
export type MunicipalityKind = 'kreisfreie-stadt' | 'landkreis';

/** One Landkreis or kreisfreie Stadt, current or historical. */
export interface MunicipalityRecord {
  /** Amtlicher Gemeindeschlüssel at Kreis level: 8 digits, Kreisschlüssel + "000". */
  readonly ags: string;
  /** Official short name (Destatis name without suffixes such as ", Stadt"). */
  readonly name: string;
  readonly kind: MunicipalityKind;
  readonly land: Land;
  /** first valid day YYYY-MM-DD or null (before the register's history) */
  readonly validFrom: string | null;
  /** last valid day or null while it exists */
  readonly validTo: string | null;
  /** AGS of the Kreis it joined, when it was dissolved into one */
  readonly mergedInto?: string;
}
