// Content negotiation of the read views, once for the API and the pages: JSON by default, CSV for
// German Excel (?format=csv or Accept: text/csv), an XLSX workbook (?format=xlsx or its Accept type).
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, attachment, toCsv, toXlsx, type Sheet } from './export-formats.js';

/** The answer formats of a view. */
export type Format = 'json' | 'csv' | 'xlsx';

/** The ?format= query field of a view. */
export const formatQuery = z.enum(['json', 'csv', 'xlsx']).optional().openapi({ description: 'Ausgabeformat; alternativ Accept: text/csv' });

/** The OpenAPI content of a view's spreadsheet answers (beside its JSON). */
export const spreadsheetContent = {
  'text/csv': { schema: z.string().openapi({ description: 'CSV für deutsches Excel (Semikolon, UTF-8 mit BOM)' }) },
  [XLSX_CONTENT_TYPE]: { schema: z.string().openapi({ format: 'binary' }) },
};

/** The format a request asks for: ?format= wins, then the Accept header, else JSON. */
export function wantedFormat(c: Context, format: Format | undefined): Format {
  if (format) return format;
  const accept = c.req.header('accept') ?? '';
  if (/\btext\/csv\b/i.test(accept)) return 'csv';
  if (accept.includes(XLSX_CONTENT_TYPE)) return 'xlsx';
  return 'json';
}

/**
 * A download of `sheets` named `fileBase` plus the extension: CSV holds the first sheet only (CSV
 * has one table), XLSX every sheet.
 */
export async function spreadsheet(format: 'csv' | 'xlsx', fileBase: string, sheets: Sheet<any>[]): Promise<Response> {
  if (format === 'csv') {
    return new Response(toCsv(sheets[0]!), {
      status: 200,
      headers: { 'content-type': CSV_CONTENT_TYPE, 'content-disposition': attachment(`${fileBase}.csv`) },
    });
  }
  const bytes = await toXlsx(sheets);
  return new Response(bytes, {
    status: 200,
    headers: { 'content-type': XLSX_CONTENT_TYPE, 'content-disposition': attachment(`${fileBase}.xlsx`) },
  });
}
