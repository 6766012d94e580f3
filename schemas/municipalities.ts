// The municipality register: every Landkreis and kreisfreie Stadt of Germany by its 8-digit AGS,
// with validity dates (the data and its source are in municipalities.data.ts). Territorial
// reforms keep the old entry with `validTo`: Eisenach (16056000) joined the Wartburgkreis
// (16063000) on 1 July 2021, and its old records stay readable and reportable.
import { MUNICIPALITY_REGISTER } from './municipalities.data.js';
import { LAENDER, type Land, type MunicipalityKind, type MunicipalityRecord } from './municipality-record.js';

export { LAENDER, MUNICIPALITY_REGISTER };
export type { Land, MunicipalityKind, MunicipalityRecord };

/** A municipality (tenant of verstetigt): a register entry. */
export type Municipality = MunicipalityRecord;

/** Every entry of the register, current and historical, grouped by Land in AGS order. */
export const MUNICIPALITIES: readonly Municipality[] = MUNICIPALITY_REGISTER;

const byAgs = new Map(MUNICIPALITIES.map((m) => [m.ags, m] as const));

/** The register entry with this AGS (current or historical), or `undefined` for an unknown AGS. */
export function municipalityByAgs(ags: string): Municipality | undefined {
  return byAgs.get(ags);
}

/** True when the municipality exists as its own Kreis on `date` (`YYYY-MM-DD`). */
export function existsOn(m: Municipality, date: string): boolean {
  return (m.validFrom === null || m.validFrom <= date) && (m.validTo === null || date <= m.validTo);
}

/** The name of an AGS for people ("Jena"), or the AGS itself when it is not in the register. */
export function municipalityName(ags: string): string {
  return byAgs.get(ags)?.name ?? ags;
}
