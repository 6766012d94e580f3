// Spreadsheet exports of the read views: CSV that German Excel opens correctly (semicolons, UTF-8
// with BOM, CRLF, decimal comma) and XLSX workbooks written with exceljs.
import ExcelJS from 'exceljs';

/** How a column is written: euro amounts come in cents and leave as euros with a decimal comma. */
export type ColumnKind = 'text' | 'date' | 'euro' | 'decimal' | 'integer';

export interface Column<T> {
  header: string;
  kind: ColumnKind;
  value(row: T): string | number | boolean | null | undefined;
  /** Column width in characters for XLSX (default from the header). */
  width?: number;
}

export interface Sheet<T> {
  /** Worksheet name (max. 31 characters, no []:*?/\). */
  name: string;
  columns: Column<T>[];
  rows: T[];
}

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Cents as a German decimal without thousands separators: 123456 → "1234,56", -5 → "-0,05". */
export function centsToDecimalComma(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.round(cents));
  return `${sign}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

function cellText(kind: ColumnKind, value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'ja' : 'nein';
  switch (kind) {
    case 'euro':
      return centsToDecimalComma(Number(value));
    case 'decimal':
      return String(value).replace('.', ',');
    case 'integer':
    case 'date':
      return String(value);
    case 'text':
      return neutraliseFormula(String(value));
  }
}

/** Leading characters a spreadsheet ignores before deciding a cell is a formula. */
const IGNORED_LEAD = /^[\p{Zs}\u200b-\u200f\u2060\ufeff\u061c\u202a-\u202e\u2066-\u2069]+/u;
/** = + - @ tab CR, their full-width (U+FF1D, U+FF0B, U+FF0D, U+FF20) and small forms, and U+2212 MINUS SIGN. */
const FORMULA_START = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b\u2212]/;

/**
 * Formula injection guard (OWASP "CSV Injection"): a text cell that starts — after spaces and
 * zero-width or direction marks — with = + - @, a tab or CR, or a full-width or small variant of
 * them, gets a leading apostrophe, so Excel and LibreOffice show it as text and never run it.
 */
export function neutraliseFormula(text: string): string {
  return /^[\t\r]/.test(text) || FORMULA_START.test(text.replace(IGNORED_LEAD, '')) ? `'${text}` : text;
}

function quote(field: string): string {
  return /[";\r\n]/.test(field) || field !== field.trim() ? `"${field.replace(/"/g, '""')}"` : field;
}

/** The sheet as CSV: BOM, semicolon separated, CRLF line ends, quotes doubled inside quoted fields. */
export function toCsv<T>(sheet: Sheet<T>): string {
  const lines = [sheet.columns.map((c) => quote(c.header)).join(';')];
  for (const row of sheet.rows) lines.push(sheet.columns.map((c) => quote(cellText(c.kind, c.value(row)))).join(';'));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

const EURO_FORMAT = '#,##0.00 "€"';

/** The sheets as one XLSX workbook: euros as numbers with a euro format, dates as dates (dd.mm.yyyy). */
export async function toXlsx(sheets: Sheet<any>[], meta: { creator?: string } = {}): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = meta.creator ?? 'verstetigt';
  workbook.created = new Date(0);
  for (const sheet of sheets) {
    const ws = workbook.addWorksheet(sheet.name.replace(/[[\]:*?/\\]/g, '-').slice(0, 31));
    ws.columns = sheet.columns.map((c, i) => ({
      header: c.header,
      key: `c${i}`,
      width: c.width ?? Math.max(10, Math.min(60, c.header.length + 2)),
      ...(c.kind === 'euro' ? { style: { numFmt: EURO_FORMAT } } : c.kind === 'date' ? { style: { numFmt: 'dd.mm.yyyy' } } : {}),
    }));
    ws.getRow(1).font = { bold: true };
    ws.views = [{ state: 'frozen', ySplit: 1 }];
    for (const row of sheet.rows) {
      ws.addRow(
        sheet.columns.map((c) => {
          const value = c.value(row);
          if (value === null || value === undefined) return null;
          if (typeof value === 'boolean') return value ? 'ja' : 'nein';
          switch (c.kind) {
            case 'euro':
              return Number(value) / 100;
            // A business date at UTC midnight: exceljs converts dates to serial days in UTC.
            case 'date':
              return /^\d{4}-\d{2}-\d{2}$/.test(String(value)) ? new Date(`${value}T00:00:00Z`) : String(value);
            case 'decimal':
            case 'integer':
              return Number(value);
            case 'text':
              return neutraliseFormula(String(value));
          }
        }),
      );
    }
  }
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}

/** A Content-Disposition header value for a download named `fileName` (ASCII, quoted). */
export function attachment(fileName: string): string {
  return `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`;
}
