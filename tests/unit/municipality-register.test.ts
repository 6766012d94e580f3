// The register of Landkreise and kreisfreie Städte: keys, Länder, counts per Land and kind,
// the 23 Thuringian Kreise of 2019 and Eisenach's merger into the Wartburgkreis.
import { describe, it, expect } from 'vitest';
import { MUNICIPALITY_REGISTER } from '../../schemas/municipalities.data.js';
import { LAENDER, type Land, type MunicipalityKind } from '../../schemas/municipality-record.js';

const LAND_PREFIX: Record<Land, string> = {
  SH: '01', HH: '02', NI: '03', HB: '04', NW: '05', HE: '06', RP: '07', BW: '08',
  BY: '09', SL: '10', BE: '11', BB: '12', MV: '13', SN: '14', ST: '15', TH: '16',
};

/** Current entries per Land: [Landkreise, kreisfreie Städte]. */
const EXPECTED_COUNTS: Record<Land, readonly [number, number]> = {
  SH: [11, 4], HH: [0, 1], NI: [37, 8], HB: [0, 2], NW: [31, 22], HE: [21, 5], RP: [24, 12], BW: [35, 9],
  BY: [71, 25], SL: [6, 0], BE: [0, 1], BB: [14, 4], MV: [6, 2], SN: [10, 3], ST: [11, 3], TH: [17, 5],
};

const THURINGIA_2019 = [
  '16051000', '16052000', '16053000', '16054000', '16055000', '16056000',
  '16061000', '16062000', '16063000', '16064000', '16065000', '16066000', '16067000', '16068000',
  '16069000', '16070000', '16071000', '16072000', '16073000', '16074000', '16075000', '16076000', '16077000',
];

const current = MUNICIPALITY_REGISTER.filter((m) => m.validTo === null);
const byAgs = new Map(MUNICIPALITY_REGISTER.map((m) => [m.ags, m] as const));

describe('municipality register', () => {
  it('has unique 8-digit AGS at Kreis level (ending in 000)', () => {
    expect(byAgs.size).toBe(MUNICIPALITY_REGISTER.length);
    for (const m of MUNICIPALITY_REGISTER) expect(m.ags).toMatch(/^\d{5}000$/);
  });

  it('is sorted by AGS', () => {
    const keys = MUNICIPALITY_REGISTER.map((m) => m.ags);
    expect(keys).toEqual([...keys].sort());
  });

  it('matches each AGS prefix to its Land', () => {
    for (const m of MUNICIPALITY_REGISTER) {
      expect(Object.keys(LAENDER)).toContain(m.land);
      expect(m.ags.slice(0, 2), `${m.ags} ${m.name}`).toBe(LAND_PREFIX[m.land]);
    }
  });

  it('has the expected number of current Landkreise and kreisfreie Städte per Land', () => {
    const count = (land: Land, kind: MunicipalityKind) =>
      current.filter((m) => m.land === land && m.kind === kind).length;
    for (const land of Object.keys(EXPECTED_COUNTS) as Land[]) {
      const [lk, kfs] = EXPECTED_COUNTS[land];
      expect([land, count(land, 'landkreis'), count(land, 'kreisfreie-stadt')]).toEqual([land, lk, kfs]);
    }
    expect(current.length).toBe(400);
    expect(current.filter((m) => m.kind === 'landkreis').length).toBe(294);
    expect(current.filter((m) => m.kind === 'kreisfreie-stadt').length).toBe(106);
    expect(MUNICIPALITY_REGISTER.length).toBe(401);
  });

  it('classifies the special cases', () => {
    expect(byAgs.get('11000000')).toMatchObject({ name: 'Berlin', kind: 'kreisfreie-stadt', land: 'BE' });
    expect(byAgs.get('02000000')).toMatchObject({ name: 'Hamburg', kind: 'kreisfreie-stadt', land: 'HH' });
    expect(byAgs.get('04011000')).toMatchObject({ name: 'Bremen', kind: 'kreisfreie-stadt', land: 'HB' });
    expect(byAgs.get('04012000')).toMatchObject({ name: 'Bremerhaven', kind: 'kreisfreie-stadt', land: 'HB' });
    expect(byAgs.get('03241000')).toMatchObject({ name: 'Region Hannover', kind: 'landkreis' });
    expect(byAgs.get('05334000')).toMatchObject({ name: 'Städteregion Aachen', kind: 'landkreis' });
    expect(byAgs.get('10041000')).toMatchObject({ name: 'Regionalverband Saarbrücken', kind: 'landkreis' });
    expect(byAgs.get('03159000')).toMatchObject({ name: 'Göttingen', kind: 'landkreis' });
    expect(byAgs.get('16053000')).toMatchObject({ name: 'Jena', kind: 'kreisfreie-stadt' });
  });

  it('contains exactly the 23 Thuringian Kreise of 2019', () => {
    const th = MUNICIPALITY_REGISTER.filter((m) => m.land === 'TH').map((m) => m.ags);
    expect(th).toEqual(THURINGIA_2019);
  });

  it('records Eisenach as merged into the Wartburgkreis on 1 July 2021', () => {
    const eisenach = byAgs.get('16056000');
    expect(eisenach).toMatchObject({ name: 'Eisenach', kind: 'kreisfreie-stadt', land: 'TH', validTo: '2021-06-30', mergedInto: '16063000' });
    const target = byAgs.get(eisenach?.mergedInto ?? '');
    expect(target).toMatchObject({ name: 'Wartburgkreis', kind: 'landkreis', validFrom: null, validTo: null });
  });

  it('has well-formed validity dates and merge targets', () => {
    for (const m of MUNICIPALITY_REGISTER) {
      for (const d of [m.validFrom, m.validTo]) if (d !== null) expect(d).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      if (m.mergedInto !== undefined) {
        expect(m.validTo).not.toBeNull();
        expect(byAgs.get(m.mergedInto)?.validTo).toBeNull();
      }
      if (m.validTo === null) expect(m.mergedInto).toBeUndefined();
    }
    expect(MUNICIPALITY_REGISTER.filter((m) => m.validTo !== null).map((m) => m.ags)).toEqual(['16056000']);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(MUNICIPALITY_REGISTER)).toBe(true);
  });
});
