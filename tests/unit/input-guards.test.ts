// Hostile text: bidirectional overrides and C1 controls are refused in every text field; text
// that a spreadsheet would run as a formula is neutralised in CSV and XLSX, including the variants
// hidden behind spaces, zero-width characters and full-width forms.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { nameText, payGrade, reasonText, referenceText } from '../../schemas/primitives.js';
import { neutraliseFormula, toCsv, toXlsx } from '../../src/http/export-formats.js';

describe('text fields', () => {
  const hostile = {
    'RIGHT-TO-LEFT OVERRIDE U+202E': 'Rechnung\u202Efdp.exe',
    'LEFT-TO-RIGHT EMBEDDING U+202A': 'a\u202Ab',
    'POP DIRECTIONAL FORMATTING U+202C': 'a\u202Cb',
    'RIGHT-TO-LEFT ISOLATE U+2067': 'a\u2067b',
    'POP DIRECTIONAL ISOLATE U+2069': 'a\u2069b',
    'RIGHT-TO-LEFT MARK U+200F': 'a\u200Fb',
    'ARABIC LETTER MARK U+061C': 'a\u061Cb',
    'NEXT LINE U+0085 (C1)': 'a\u0085b',
    'CSI U+009B (C1)': 'a\u009Bb',
    'PADDING CHARACTER U+0080 (C1)': 'a\u0080b',
  };
  for (const [name, value] of Object.entries(hostile)) {
    it(`refuses ${name} in every kind of text`, () => {
      for (const schema of [nameText, reasonText, referenceText, payGrade]) {
        const result = schema.safeParse(value);
        expect(result.success).toBe(false);
        expect(result.error!.issues[0]!.message).toMatch(/Steuerzeichen/);
      }
    });
  }

  it('still accepts German text, accents, right-to-left letters themselves and ordinary punctuation', () => {
    for (const value of ['Bildungsmanagement Jena – Stelle 2 (bf)', 'Kommunale Koordinierung für Neuzugewanderte', 'مدير التعليم', 'Zuweisung § 57 Abs. 2 ThürKO', 'Müller‐Straße']) {
      expect(reasonText.safeParse(value).success, value).toBe(true);
    }
  });
});

describe('formula injection guard (CSV and XLSX)', () => {
  const dangerous = [
    '=SUM(A1)',
    '+49 361 1234',
    '-2+3',
    '@SUM(A1)',
    '\t=1',
    '\r=1',
    ' =1',
    '\u00A0=1',
    '\u200B=HYPERLINK("http://x")',
    '\uFEFF=1',
    '\u2060+1',
    '\uFF1D1+1',
    '\uFF0B1',
    '\uFF0D1',
    '\uFF20SUM(A1)',
    '\uFE661',
    '\u22121',
  ];
  for (const text of dangerous) {
    it(`neutralises ${JSON.stringify(text)}`, () => {
      expect(neutraliseFormula(text)).toBe(`'${text}`);
    });
  }

  it('leaves ordinary text alone', () => {
    for (const text of ['Jena', 'E 13', '01JL1623', 'a=b', 'x-y', '']) expect(neutraliseFormula(text)).toBe(text);
  });

  it('applies in CSV and in XLSX text cells', async () => {
    const sheet = { name: 'x', rows: [{ t: '\u200B=1+1' }], columns: [{ header: 'T', kind: 'text' as const, value: (r: { t: string }) => r.t }] };
    expect(toCsv(sheet)).toBe("\uFEFFT\r\n'\u200B=1+1\r\n");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await toXlsx([sheet])).buffer as ArrayBuffer);
    const cell = workbook.worksheets[0]!.getRow(2).getCell(1);
    expect(cell.value).toBe("'\u200B=1+1");
    expect(cell.formula).toBeUndefined();
  });
});
