// The write API over HTTP: every route's success, every error status, If-Match, Idempotency-Key,
// ETags and the OpenAPI document. Runs on PGlite and, when TEST_DATABASE_URL is set, PostgreSQL.
import { Validator } from '@seriousme/openapi-schema-validator';
import { beforeEach, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { JENA, WEIMAR, grantBody, positionBody } from '../support/fixtures.js';
import { testApp, type TestApp } from '../support/http.js';

const UNKNOWN = '0190b2f8-6c1e-7000-8000-000000000099';

describeEachDatabase('write API', (suite) => {
  let t: TestApp;

  beforeEach(async () => {
    t = await testApp(suite.database);
  });

  async function createGrant(over: Record<string, unknown> = {}) {
    const response = await t.post('/api/v1/grants', grantBody(over));
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; version: number; globalPosition: number };
  }
  async function createPosition(grantId: string, over: Record<string, unknown> = {}) {
    const response = await t.post('/api/v1/positions', positionBody(grantId, over));
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; version: number; globalPosition: number };
  }
  const problem = async (response: Response, status: number) => {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
    return body;
  };

  describe('successes', () => {
    it('POST /grants answers 201 with Location, id, version and globalPosition', async () => {
      const response = await t.post('/api/v1/grants', grantBody());
      expect(response.status).toBe(201);
      const body = (await response.json()) as { id: string };
      expect(body).toEqual({ id: expect.any(String), version: 1, globalPosition: 4 });
      expect(response.headers.get('location')).toBe(`/api/v1/grants/${body.id}`);
      expect(response.headers.get('etag')).toBe('W/"1"');
    });

    it('every grant route records its event, and GET /grants/{id} folds them with ETag', async () => {
      const { id } = await createGrant();
      const steps: Array<[string, unknown, string]> = [
        ['amendments', { amendedOn: '2019-06-14', periodEnd: '2021-06-30', amountCents: 63_640_000, reason: 'Verlängerung' }, 'GrantAmended'],
        ['drawdowns', { drawnOn: '2017-03-31', amountCents: 5_000_000 }, 'FundsDrawn'],
        ['proof-of-use', { submittedOn: '2018-04-28', kind: 'interim' }, 'ProofOfUseSubmitted'],
        ['close', { closedOn: '2022-04-04' }, 'GrantClosed'],
        ['proof-of-use', { submittedOn: '2022-04-20', kind: 'final' }, 'ProofOfUseSubmitted'],
      ];
      for (const [i, [path, body, type]] of steps.entries()) {
        const response = await t.post(`/api/v1/grants/${id}/${path}`, body);
        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({ id, version: i + 2 });
        const events = await t.store.readStream(`grant-${id}`);
        expect(events.at(-1)!.type).toBe(type);
      }
      const response = await t.get(`/api/v1/grants/${id}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('etag')).toBe('W/"6"');
      expect(await response.json()).toMatchObject({
        grantId: id,
        periodEnd: '2021-06-30',
        amountCents: 63_640_000,
        drawnCents: 5_000_000,
        remainingCents: 58_640_000,
        status: 'closed',
        version: 6,
      });
    });

    it('every position route records its event, and GET /positions/{id} folds them', async () => {
      const grant = await createGrant();
      const { id } = await createPosition(grant.id);
      const steps: Array<[string, unknown, string]> = [
        ['staffing', { personRef: 'P-J-0001', startsOn: '2016-10-01', fte: 1 }, 'PositionStaffed'],
        ['vacancies', { vacatedOn: '2019-03-31', reason: 'Wechsel' }, 'PositionVacated'],
        ['continuation-decisions', { decision: 'own-funds', effectiveFrom: '2021-07-01', decidedBy: 'council', resolutionRef: 'StR 20/0612', decidedOn: '2020-10-21' }, 'ContinuationDecided'],
        ['continuation-decisions/revoke', { revokedOn: '2021-01-15', reason: 'Haushaltssperre' }, 'ContinuationDecisionRevoked'],
        ['abolish', { abolishedOn: '2021-07-01', reason: 'kw' }, 'PositionAbolished'],
      ];
      for (const [path, body, type] of steps) {
        const response = await t.post(`/api/v1/positions/${id}/${path}`, body);
        expect(response.status, path).toBe(200);
        expect((await t.store.readStream(`position-${id}`)).at(-1)!.type).toBe(type);
      }
      const response = await t.get(`/api/v1/positions/${id}`);
      expect(response.headers.get('etag')).toBe('W/"6"');
      expect(await response.json()).toMatchObject({ positionId: id, grantId: grant.id, status: 'abolished', continuation: null, version: 6 });
    });

    it('POST /programmes/{code}/end-date, GET /programmes and GET /municipalities', async () => {
      const response = await t.post('/api/v1/programmes/thilik/end-date', { endsOn: '2027-12-31', reason: 'ESF Plus bis 2027' });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ id: 'thilik', version: 2 });
      const programmes = (await (await t.get('/api/v1/programmes')).json()) as { items: Array<{ code: string; endsOn: string | null }> };
      expect(programmes.items.map((p) => p.code)).toEqual(['bildung-integriert', 'neuzugewanderte', 'thilik']);
      expect(programmes.items[2]!.endsOn).toBe('2027-12-31');
      const municipalities = (await (await t.get('/api/v1/municipalities?land=TH')).json()) as { items: Array<{ ags: string; name: string; kind: string }> };
      expect(municipalities.items).toHaveLength(23);
      expect(municipalities.items.filter((m) => m.kind === 'kreisfreie-stadt')).toHaveLength(6);
      expect(municipalities.items).toContainEqual(expect.objectContaining({ ags: JENA, name: 'Jena', kind: 'kreisfreie-stadt', land: 'TH' }));
    });
  });

  describe('errors', () => {
    it('400: invalid and unknown fields are listed with their paths; nothing is recorded', async () => {
      const head = await t.store.headPosition();
      const body = await problem(
        await t.post('/api/v1/grants', grantBody({ periodEnd: '2019-02-29', amountCents: -5, extra: 1 })),
        400,
      );
      const paths = (body.errors as Array<{ path: string }>).map((e) => e.path).sort();
      expect(paths).toEqual(['amountCents', 'extra', 'periodEnd']);
      await problem(await t.post('/api/v1/grants', grantBody({ municipality: '16999000' })), 400);
      await problem(await t.post('/api/v1/grants', '{"municipality": '), 400);
      await problem(await t.post('/api/v1/grants', '[]'), 400);
      await problem(await t.post(`/api/v1/grants/not-a-uuid/drawdowns`, { drawnOn: '2017-01-01', amountCents: 1 }), 400);
      await problem(await t.post('/api/v1/programmes/Unbekannt!/end-date', { endsOn: '2027-12-31' }), 400);
      await problem(await t.post('/api/v1/programmes/unbekannt/end-date', { endsOn: '2027-12-31' }), 404);
      // A lone UTF-16 surrogate is not text.
      const surrogate = await problem(await t.post('/api/v1/grants', '{"municipality":"16053000","programme":"bildung-integriert","reference":"\\ud800","awardedOn":"2016-08-10","periodStart":"2016-09-01","periodEnd":"2019-08-31","amountCents":1,"fundingRatePercent":80,"financingType":"anteil","ownShareCents":0}'), 400);
      expect(surrogate.errors).toEqual([{ path: 'reference', message: 'Text enthält ungültige Unicode-Zeichen' }]);
      expect(await t.store.headPosition()).toBe(head);
    });

    it('404: an unknown grant or position id', async () => {
      await problem(await t.post(`/api/v1/grants/${UNKNOWN}/drawdowns`, { drawnOn: '2017-01-01', amountCents: 1 }), 404);
      await problem(await t.post(`/api/v1/positions/${UNKNOWN}/abolish`, { abolishedOn: '2021-01-01' }), 404);
      await problem(await t.get(`/api/v1/grants/${UNKNOWN}`), 404);
      await problem(await t.get(`/api/v1/positions/${UNKNOWN}`), 404);
      await problem(await t.get('/api/v1/nothing-here'), 404);
    });

    it('409: If-Match with a stale version is refused and not retried', async () => {
      const { id } = await createGrant();
      const ok = await t.post(`/api/v1/grants/${id}/drawdowns`, { drawnOn: '2017-03-31', amountCents: 100 }, { 'if-match': 'W/"1"' });
      expect(ok.status).toBe(200);
      const body = await problem(
        await t.post(`/api/v1/grants/${id}/drawdowns`, { drawnOn: '2017-04-30', amountCents: 100 }, { 'if-match': 'W/"1"' }),
        409,
      );
      expect(body).toMatchObject({ expectedVersion: 1, actualVersion: 2 });
      expect((await t.store.readStream(`grant-${id}`)).length).toBe(2);
      await problem(await t.post(`/api/v1/grants/${id}/drawdowns`, { drawnOn: '2017-04-30', amountCents: 1 }, { 'if-match': 'garbage' }), 400);
    });

    it('415: a body that is not declared as JSON', async () => {
      const authorization = `Bearer ${t.adminToken}`;
      const response = await t.app.request('/api/v1/grants', { method: 'POST', headers: { 'content-type': 'text/plain', authorization }, body: JSON.stringify(grantBody()) });
      await problem(response, 415);
      await problem(await t.app.request('/api/v1/grants', { method: 'POST', headers: { authorization }, body: JSON.stringify(grantBody()) }), 415);
      expect(await t.store.headPosition()).toBe(3);
    });

    it('413: a body over 64 KiB', async () => {
      const response = await t.post('/api/v1/grants', grantBody({ reference: 'x'.repeat(70 * 1024) }));
      await problem(response, 413);
      expect(await t.store.headPosition()).toBe(3);
    });

    it('422: a broken rule, explained in words and with its rule code', async () => {
      const { id } = await createGrant();
      const body = await problem(await t.post(`/api/v1/grants/${id}/drawdowns`, { drawnOn: '2017-03-31', amountCents: 41_280_001 }), 422);
      expect(body.rule).toBe('drawdown-exceeds-award');
      expect(body.detail).toMatch(/übersteigt/);
      const other = await createGrant({ municipality: WEIMAR });
      const mismatch = await problem(await t.post('/api/v1/positions', positionBody(other.id)), 422);
      expect(mismatch.rule).toBe('grant-municipality-mismatch');
      const missing = await problem(await t.post('/api/v1/positions', positionBody(UNKNOWN)), 422);
      expect(missing.rule).toBe('grant-not-found');
    });
  });

  describe('idempotency and concurrency', () => {
    it('a repeated Idempotency-Key returns the first response and records nothing new', async () => {
      const first = await t.post('/api/v1/grants', grantBody(), { 'idempotency-key': 'bescheid-2016-08-10' });
      const firstBody = (await first.json()) as { id: string };
      const head = await t.store.headPosition();
      const again = await t.post('/api/v1/grants', grantBody(), { 'idempotency-key': 'bescheid-2016-08-10' });
      expect(again.status).toBe(201);
      expect(await again.json()).toEqual(firstBody);
      expect(again.headers.get('location')).toBe(first.headers.get('location'));
      expect(await t.store.headPosition()).toBe(head);

      const draw = () => t.post(`/api/v1/grants/${firstBody.id}/drawdowns`, { drawnOn: '2017-03-31', amountCents: 41_280_000 }, { 'idempotency-key': 'abruf-1' });
      const d1 = await draw();
      const d2 = await draw(); // would break the award limit if recorded again
      expect(d2.status).toBe(200);
      expect(await d2.json()).toEqual(await d1.json());
      expect(await t.store.headPosition()).toBe(head + 1);
    });

    it('an Idempotency-Key is bound to the record (whatever the case of its id) and to the body', async () => {
      const { id } = (await (await t.post('/api/v1/grants', grantBody())).json()) as { id: string };
      const body = { drawnOn: '2017-03-31', amountCents: 1000 };
      const first = await t.post(`/api/v1/grants/${id}/drawdowns`, body, { 'idempotency-key': 'abruf-7' });
      const upper = await t.post(`/api/v1/grants/${id.toUpperCase()}/drawdowns`, body, { 'idempotency-key': 'abruf-7' });
      expect(upper.status).toBe(200);
      expect(await upper.json()).toEqual(await first.json());
      expect((await t.store.readStream(`grant-${id}`)).length).toBe(2);
      const other = await problem(await t.post(`/api/v1/grants/${id}/drawdowns`, { ...body, amountCents: 2000 }, { 'idempotency-key': 'abruf-7' }), 422);
      expect(other.rule).toBe('idempotency-key-reused');
      expect((await t.store.readStream(`grant-${id}`)).length).toBe(2);
    });

    it('concurrent writes without If-Match are re-decided on the fresh state, and the rule still holds', async () => {
      // 80 % Anteilfinanzierung: 1000 × 20/80 = 250 own share.
      const { id } = await createGrant({ amountCents: 1000, ownShareCents: 250 });
      const responses = await Promise.all(
        Array.from({ length: 6 }, () => t.post(`/api/v1/grants/${id}/drawdowns`, { drawnOn: '2017-03-31', amountCents: 300 })),
      );
      const statuses = responses.map((r) => r.status).sort();
      // 3 × 300 fit into 1000; the 4th would exceed it. A 409 can only come after 3 lost races.
      expect(statuses.filter((s) => s === 200)).toHaveLength(3);
      expect(statuses.every((s) => s === 200 || s === 422 || s === 409)).toBe(true);
      const grant = (await (await t.get(`/api/v1/grants/${id}`)).json()) as { drawnCents: number };
      expect(grant.drawnCents).toBe(900);
    });

    it('every stored event carries the request id and correlation id in its metadata', async () => {
      const response = await t.post('/api/v1/grants', grantBody(), { 'x-request-id': 'req-42', 'x-correlation-id': 'vorgang-7' });
      const { id } = (await response.json()) as { id: string };
      const [event] = await t.store.readStream(`grant-${id}`);
      expect(event!.metadata).toMatchObject({ requestId: 'req-42', correlationId: 'vorgang-7' });
      expect(response.headers.get('x-request-id')).toBe('req-42');
    });
  });
});

describeEachDatabase('OpenAPI', (suite) => {
  it('GET /openapi.json is a valid OpenAPI 3.1 document covering every route; /docs serves the UI', async () => {
    const t = await testApp(suite.database);
    const response = await t.get('/openapi.json');
    expect(response.status).toBe(200);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const doc = (await response.json()) as any;
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    for (const path of [
      '/api/v1/grants', '/api/v1/grants/{id}/amendments', '/api/v1/grants/{id}/drawdowns', '/api/v1/grants/{id}/proof-of-use',
      '/api/v1/grants/{id}/close', '/api/v1/positions', '/api/v1/positions/{id}/staffing', '/api/v1/positions/{id}/vacancies',
      '/api/v1/positions/{id}/continuation-decisions', '/api/v1/positions/{id}/continuation-decisions/revoke',
      '/api/v1/positions/{id}/abolish', '/api/v1/programmes/{code}/end-date', '/api/v1/programmes', '/api/v1/municipalities',
      '/api/v1/grants/{id}', '/api/v1/positions/{id}',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    // Generated from the zod schemas: the grant body's fields and required list are there.
    const grantSchema = doc.paths['/api/v1/grants'].post.requestBody.content['application/json'].schema;
    expect(grantSchema.properties.amountCents).toMatchObject({ type: 'integer' });
    expect(grantSchema.required).toContain('municipality');
    const docs = await t.get('/docs');
    expect(docs.status).toBe(200);
    expect(await docs.text()).toMatch(/swagger/i);
  });
});
