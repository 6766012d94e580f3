// Validation and refusal messages: one German message per field, "Pflichtfeld fehlt" for a missing
// field, the allowed values of a choice, no English library text and no internal permission names.
// HTTP runs on PGlite and, when TEST_DATABASE_URL is set, PostgreSQL.
import { z } from 'zod';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_PERMISSIONS } from '../../src/http/auth/permissions.js';
import { zodFieldErrors } from '../../src/http/problem.js';
import { describeEachDatabase } from '../support/databases.js';
import { grantBody } from '../support/fixtures.js';
import { testApp, tokenFor, type TestApp } from '../support/http.js';

// Words of zod's English messages (and of the internal permission and role names).
const ENGLISH = /\b(invalid|expected|received|too small|too big|unrecognized|required|must|option|input|string|number)\b/i;
const INTERNAL_NAMES = /\b(record|read-records|read-views|audit|reference|admin|finance|leadership|auditor)\b/;

interface Problem {
  status: number;
  detail: string;
  errors?: Array<{ path: string; message: string }>;
}

describe('zod issues in German', () => {
  const parse = (schema: z.ZodType, input: unknown) => {
    const result = schema.safeParse(input);
    expect(result.success).toBe(false);
    return zodFieldErrors(result.error!, input);
  };

  it('gives every issue code a German message, one per field', () => {
    const schema = z.strictObject({
      text: z.string().min(3),
      count: z.number().int().max(5),
      id: z.uuid(),
      kind: z.enum(['a', 'b']),
      fixed: z.literal('x'),
      list: z.array(z.string()).min(1),
      either: z.union([z.string(), z.number()]),
      step: z.number().multipleOf(5),
      nested: z.object({ inner: z.string() }),
    });
    const errors = parse(schema, {
      text: 'ab',
      count: 7,
      id: 'nope',
      kind: 'c',
      fixed: 'y',
      list: [],
      either: true,
      step: 3,
      nested: {},
      extra: 1,
    });
    expect(errors).toEqual([
      { path: 'text', message: 'Mindestens 3 Zeichen' },
      { path: 'count', message: 'Muss höchstens 5 sein' },
      { path: 'id', message: 'Keine gültige UUID' },
      { path: 'kind', message: 'Erlaubte Werte: a, b' },
      { path: 'fixed', message: 'Erlaubt ist nur x' },
      { path: 'list', message: 'Mindestens 1 Einträge' },
      { path: 'either', message: 'Ungültiger Wert: passt zu keiner der erlaubten Formen' },
      { path: 'step', message: 'Muss ein Vielfaches von 5 sein' },
      { path: 'nested.inner', message: 'Pflichtfeld fehlt' },
      { path: 'extra', message: 'Unbekanntes Feld' },
    ]);
    for (const e of errors) expect(e.message).not.toMatch(ENGLISH);
  });

  it('says "Pflichtfeld fehlt" for a missing field even when the schema words its type error itself', () => {
    const schema = z.object({ ags: z.string({ error: 'AGS muss eine Zeichenkette sein' }), kind: z.enum(['a', 'b'], { error: 'Unbekannt' }) });
    expect(parse(schema, {})).toEqual([
      { path: 'ags', message: 'Pflichtfeld fehlt' },
      { path: 'kind', message: 'Pflichtfeld fehlt' },
    ]);
    // A present but wrong value keeps the schema's words, and a choice lists what is allowed.
    expect(parse(schema, { ags: 1, kind: 'c' })).toEqual([
      { path: 'ags', message: 'AGS muss eine Zeichenkette sein' },
      { path: 'kind', message: 'Unbekannt (erlaubt: a, b)' },
    ]);
  });

  it('reports a field once when several checks fail on it', () => {
    const schema = z.object({ code: z.string().regex(/^\d{8}$/, { error: 'acht Ziffern' }).refine((s) => s.startsWith('16'), { error: 'Thüringen' }) });
    expect(parse(schema, { code: 'x' })).toEqual([{ path: 'code', message: 'acht Ziffern' }]);
  });
});

describeEachDatabase('validation messages over HTTP', (suite) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(suite.database);
  });

  const problem = async (response: Response, status: number): Promise<Problem> => {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    return (await response.json()) as Problem;
  };

  it('an empty grant body: "Pflichtfeld fehlt" for each required field, named in the detail', async () => {
    const body = await problem(await t.post('/api/v1/grants', {}), 400);
    const paths = body.errors!.map((e) => e.path);
    expect(paths).toEqual([...new Set(paths)]);
    expect(paths).toEqual(expect.arrayContaining(['municipality', 'programme', 'reference', 'awardedOn', 'periodStart', 'periodEnd', 'amountCents']));
    for (const e of body.errors!) expect(e.message, e.path).toBe('Pflichtfeld fehlt');
    // Only fields of the body are named, each in the detail too.
    for (const path of paths) {
      expect(Object.keys(grantBody())).toContain(path);
      expect(body.detail).toContain(path);
    }
  });

  it('wrong values: one German message per field, the allowed values of a choice', async () => {
    const body = await problem(
      await t.post('/api/v1/grants', grantBody({ municipality: 'x', programme: 'NOPE!', amountCents: -1, financingType: 'zz', unknown: 1 })),
      400,
    );
    const paths = body.errors!.map((e) => e.path);
    expect(paths).toEqual([...new Set(paths)]);
    expect(paths.sort()).toEqual(['amountCents', 'financingType', 'municipality', 'programme', 'unknown']);
    const financing = body.errors!.find((e) => e.path === 'financingType')!.message;
    for (const type of ['anteil', 'fehlbedarf', 'festbetrag', 'voll']) expect(financing).toContain(type);
    for (const e of body.errors!) expect(e.message).not.toMatch(ENGLISH);
    expect(body.detail).not.toMatch(ENGLISH);
  });

  it('query parameters without words of their own get German messages too', async () => {
    const body = await problem(await t.get('/api/v1/staffing?minPosition=-1&format=pdf'), 400);
    expect(body.errors).toEqual([
      { path: 'format', message: 'Erlaubte Werte: json, csv, xlsx' },
      { path: 'minPosition', message: 'Muss mindestens 0 sein' },
    ].sort((a, b) => body.errors!.findIndex((e) => e.path === a.path) - body.errors!.findIndex((e) => e.path === b.path)));
    const paging = await problem(await t.get('/api/v1/grants?minPosition=abc'), 400);
    expect(paging.errors).toEqual([{ path: 'minPosition', message: 'Zahl erwartet' }]);
  });

  it('a body that is not JSON and a bad stream id are refused in German', async () => {
    const malformed = await problem(await t.post('/api/v1/grants', '{"municipality":'), 400);
    expect(malformed.detail).toBe('Der Inhalt der Anfrage ist kein gültiges JSON.');
    const stream = await problem(await t.get('/api/v1/audit/events?stream=%20bad%20'), 400);
    expect(stream.detail).not.toMatch(/expected|invalid stream/i);
  });

  it('403 for a role says in German what it may not do, without internal names', async () => {
    const cases: Array<[string, 'GET' | 'POST', string]> = [
      ['leadership', 'POST', '/api/v1/grants'],
      ['leadership', 'GET', '/api/v1/audit/verify'],
      ['finance', 'GET', '/api/v1/audit/events'],
      ['auditor', 'POST', '/api/v1/positions'],
    ];
    const details = new Set<string>();
    for (const [role, method, path] of cases) {
      const token = await tokenFor({ sub: `x-${role}`, role: role as 'leadership', municipalities: '*' });
      const response = await t.app.request(path, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(method === 'POST' ? { body: '{}' } : {}),
      });
      const body = await problem(response, 403);
      expect(body.detail).toMatch(/^Mit der Rolle „(Verwaltungsleitung|Kämmerei|Rechnungsprüfung)“ dürfen Sie /);
      expect(body.detail).not.toMatch(INTERNAL_NAMES);
      details.add(body.detail);
    }
    // Different refusals say different things.
    expect(details.size).toBe(cases.length);
    expect(ROUTE_PERMISSIONS.length).toBeGreaterThan(0);
  });
}, { per: 'suite' });
