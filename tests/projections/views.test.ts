// The view routes through app.request(): JSON shapes, filters, the asOf default from a fixed
// clock, CSV for German Excel, XLSX read back with exceljs, validation and minPosition's 503.
import ExcelJS from 'exceljs';
import { OpenAPIHono } from '@hono/zod-openapi';
import { beforeEach, describe, expect, it } from 'vitest';
import { allProjections, createProjectionRunner, type ProjectionRunner } from '../../projections/index.js';
import { fixedClock } from '../../src/clock.js';
import { problemResponse } from '../../src/http/problem.js';
import { ownFundsYears, viewRoutes } from '../../src/http/views/index.js';
import { toCsv, centsToDecimalComma } from '../../src/http/export-formats.js';
import { describeEachDatabase } from '../support/databases.js';
import { Commands, EISENACH, JENA, PostgresEventStore } from './support.js';

describeEachDatabase('view routes', (suite) => {
  let store: PostgresEventStore;
  let runner: ProjectionRunner;
  let app: OpenAPIHono;
  let head: number;

  beforeEach(async () => {
    const { db } = suite.database;
    store = new PostgresEventStore(db);
    const c = new Commands(store);
    const g = await c.award({ periodStart: '2019-01-01', periodEnd: '2021-12-31', ownShareCents: 365_000 + 365_000 + 365_000, reference: 'EA; "1"' });
    const p = await c.establish(g, { fte: 0.5 });
    await c.position(p, { type: 'StaffPosition', data: { personRef: 'P-1', startsOn: '2019-02-01', fte: 0.5 } });
    await c.grant(g, { type: 'DrawFunds', data: { drawnOn: '2019-03-01', amountCents: 123_456 } });
    const j = await c.award({ municipality: JENA, periodStart: '2019-01-01', periodEnd: '2022-12-31', reference: 'J-1' });
    await c.establish(j);
    head = await store.headPosition();
    runner = createProjectionRunner({ db, store, projections: allProjections });
    await runner.catchUp();
    // The clock says 1 Jan 2021, 00:30 in Berlin (still 31 Dec in UTC).
    app = new OpenAPIHono();
    app.route('/api/v1', viewRoutes({ db, runner, clock: fixedClock('2020-12-31T23:30:00Z'), minPositionTimeoutMs: 100 }));
    app.onError((error, c) => problemResponse(c, error, undefined));
  });

  it('answers JSON with asOf defaulting to today in Europe/Berlin, filtered by municipality and programme', async () => {
    const res = await app.request('/api/v1/continuation-risk');
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.asOf).toBe('2021-01-01');
    expect(body.items.map((i: any) => [i.municipality, i.risk])).toEqual([
      [EISENACH, 'medium'],
      [JENA, 'none'],
    ]);
    const jena = (await (await app.request(`/api/v1/end-dates?municipality=${JENA}&asOf=2022-12-01`)).json()) as any;
    expect(jena).toMatchObject({ asOf: '2022-12-01', items: [{ municipality: JENA, fundingEndsOn: '2022-12-31', daysRemaining: 30 }] });
    const staffing = (await (await app.request(`/api/v1/staffing?asOf=2019-06-01&programme=bildung-integriert&municipality=${EISENACH}`)).json()) as any;
    expect(staffing.items[0]).toEqual({ municipality: EISENACH, programme: 'bildung-integriert', role: 'bildungsmanagement', positions: 1, plannedFte: 0.5, filledFte: 0.5, vacantFte: 0 });
    expect(((await (await app.request('/api/v1/staffing?programme=thilik')).json()) as any).items).toEqual([]);
    const finance = (await (await app.request(`/api/v1/finance/grants?municipality=${EISENACH}&asOf=2019-06-01`)).json()) as any;
    expect(finance.items[0]).toMatchObject({ drawnCents: 123_456, heldBeyondWindowCents: 123_456, remainingCents: 20_000_000 - 123_456 });
  });

  it('own-funds: ?year=, ?from=&to=, a default span, and a cap', async () => {
    const one = (await (await app.request(`/api/v1/own-funds?year=2020&municipality=${EISENACH}`)).json()) as any;
    // 1,095,000 cents over 1,096 days (2020 is a leap year): 2020 gets 366/1096.
    expect(one).toEqual({ years: [2020], items: [{ municipality: EISENACH, programme: 'bildung-integriert', year: 2020, ownShareCents: 365_666, continuationCents: 0, totalCents: 365_666 }] });
    const span = (await (await app.request('/api/v1/own-funds?from=2019&to=2021')).json()) as any;
    expect(span.years).toEqual([2019, 2020, 2021]);
    expect(span.items).toHaveLength(6);
    expect(((await (await app.request('/api/v1/own-funds')).json()) as any).years).toEqual([2021, 2022, 2023, 2024, 2025]);
    const capped = await app.request('/api/v1/own-funds?from=2000&to=2040');
    expect(capped.status).toBe(400);
    expect(ownFundsYears({ to: 2030 }, 2021)).toEqual({ fromYear: 2026, toYear: 2030 });
    expect(() => ownFundsYears({ year: 2020, from: 2019 }, 2021)).toThrow();
    expect((await app.request('/api/v1/own-funds?from=2022&to=2021')).status).toBe(400);
  });

  it('refuses a bad date, an unknown AGS and a malformed programme code with 400 field errors', async () => {
    const res = await app.request('/api/v1/staffing?asOf=2019-02-29&municipality=16099000&programme=Nope!');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const body = (await res.json()) as any;
    expect(body.errors.map((e: any) => e.path).sort()).toEqual(['asOf', 'municipality', 'programme']);
  });

  it('CSV for German Excel: BOM, semicolons, CRLF, decimal comma, quotes escaped, German headers', async () => {
    const res = await app.request(`/api/v1/finance/grants?asOf=2019-06-01&municipality=${EISENACH}`, { headers: { accept: 'text/csv' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="zuwendungen-2019-06-01.csv"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    const [header, row] = text.split('\r\n');
    expect(header!.split(';').slice(0, 8)).toEqual(['Zuwendungs-ID', 'AGS', 'Kommune', 'Programm', 'Förderkennzeichen', 'Bewilligungsbeginn', 'Bewilligungsende', 'Bewilligt (€)']);
    expect(row).toContain(';Eisenach;bildung-integriert;"EA; ""1""";2019-01-01;2021-12-31;200000,00;1234,56;198765,44;1234,56;');
    expect(text.endsWith('\r\n')).toBe(true);
    const staffing = await app.request('/api/v1/staffing?asOf=2019-06-01&format=csv');
    expect(new TextDecoder().decode(await staffing.arrayBuffer())).toContain('16056000;Eisenach;bildung-integriert;bildungsmanagement;1;0,5;0,5;0\r\n');
  });

  it('finance CSV: one table, the summary, with the count and latest date of drawdowns and amendments (the XLSX has them as sheets)', async () => {
    const res = await app.request(`/api/v1/finance/grants?asOf=2019-06-01&municipality=${EISENACH}&format=csv`);
    const [header, row] = new TextDecoder().decode(await res.arrayBuffer()).slice(1).split('\r\n');
    // Indexed from the end: the reference `EA; "1"` holds a quoted semicolon further left.
    const cells = Object.fromEntries(header!.split(';').map((h, i) => [h, row!.split(';').at(i - header!.split(';').length)]));
    expect(cells).toMatchObject({
      'Mittelabrufe (Anzahl)': '1',
      'Letzter Mittelabruf am': '2019-03-01',
      'Änderungsbescheide (Anzahl)': '0',
      'Letzter Änderungsbescheid vom': '',
      'Ursprünglich bewilligt (€)': '200000,00',
      'Ursprüngliches Ende': '2021-12-31',
    });
  });

  it('XLSX: a workbook with German headers, euros as numbers and dates as dates', async () => {
    const res = await app.request('/api/v1/own-funds?from=2019&to=2021&format=xlsx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="eigenmittel-2019-2021.xlsx"');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await res.arrayBuffer());
    const sheet = workbook.getWorksheet('Eigenmittel')!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'AGS', 'Kommune', 'Programm', 'Haushaltsjahr', 'Eigenanteil (€)', 'Weiterführung (€)', 'Summe (€)']);
    const rows = sheet.getRows(2, sheet.rowCount - 1)!;
    const eisenach2019 = rows.find((r) => r.getCell(1).value === EISENACH && r.getCell(4).value === 2019)!;
    expect(eisenach2019.getCell(2).value).toBe('Eisenach');
    expect(eisenach2019.getCell(5).value).toBe(3_646.67); // 1,095,000 × 365/1096 = 364,667 cents in 2019
    expect(eisenach2019.getCell(5).numFmt).toContain('0.00');

    const finance = await app.request('/api/v1/finance/grants?asOf=2019-06-01&format=xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await finance.arrayBuffer());
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Zuwendungen', 'Mittelabrufe', 'Änderungsbescheide']);
    const drawdown = wb.getWorksheet('Mittelabrufe')!.getRow(2);
    expect((drawdown.getCell(3).value as Date).toISOString()).toBe('2019-03-01T00:00:00.000Z');
    expect(drawdown.getCell(4).value).toBe(1234.56);
  });

  it('minPosition: answers once reached; 503 with Retry-After when not reached in time', async () => {
    expect((await app.request(`/api/v1/staffing?minPosition=${head}`)).status).toBe(200);
    const res = await app.request(`/api/v1/staffing?minPosition=${head + 1}`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(((await res.json()) as any).position).toBe(head);
  });

  it('the routes appear in the OpenAPI 3.1 document with their query parameters', () => {
    const doc = app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'verstetigt', version: '1' } });
    expect(Object.keys(doc.paths ?? {}).sort()).toEqual([
      '/api/v1/continuation-risk',
      '/api/v1/end-dates',
      '/api/v1/finance/grants',
      '/api/v1/own-funds',
      '/api/v1/own-funds/municipalities',
      '/api/v1/staffing',
    ]);
    const params = (doc.paths!['/api/v1/own-funds']!.get!.parameters ?? []).map((p: any) => p.name);
    expect(params).toEqual(expect.arrayContaining(['municipality', 'programme', 'year', 'from', 'to', 'minPosition', 'format']));
  });
});

describe('export formats', () => {
  it('writes cents with a decimal comma and guards text against formula injection', () => {
    expect([centsToDecimalComma(0), centsToDecimalComma(5), centsToDecimalComma(-123_456), centsToDecimalComma(100)]).toEqual(['0,00', '0,05', '-1234,56', '1,00']);
    const csv = toCsv({ name: 'x', rows: [{ t: '=SUM(A1)', n: 'a\nb' }], columns: [{ header: 'T', kind: 'text', value: (r) => r.t }, { header: 'N', kind: 'text', value: (r) => r.n }] });
    expect(csv).toBe("\uFEFFT;N\r\n'=SUM(A1);\"a\nb\"\r\n");
  });
});
