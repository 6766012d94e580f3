// The pages in Debian's Chromium: sign-in by one-time link, a Jena leader sees Jena only, the
// demo dashboard shows every risk level, the cost-cliff table equals GET /api/v1/own-funds to
// the cent, downloads, CSRF refusal, no request leaving the origin, and axe-core at WCAG 2.1 AA
// on every page (with data, without data, with an error shown).
import { createPublicKey, verify as verifySignature } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryContinuationRisk } from '../../projections/index.js';
import { digestMessage, type LogDigest } from '../../src/eventstore/index.js';
import { axeViolations, chromiumAvailable, describeViolations, launchChromium } from '../support/browser.js';
import { startWebTestServer, type WebTestServer } from '../support/web.js';
import type { Role } from '../../src/http/auth/index.js';

/** The text of the first element the locator finds, trimmed (the pages are server-rendered: no waiting). */
const text = async (locator: Locator) => ((await locator.first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

const JENA = '16053000';
const WEIMAR = '16055000';

describe.skipIf(!chromiumAvailable)('pages in Chromium', () => {
  let browser: Browser;
  let server: WebTestServer;
  const requested: string[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [browser, server] = await Promise.all([launchChromium(), startWebTestServer()]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A fresh browser profile that records every request it makes. */
  async function newContext(): Promise<BrowserContext> {
    const context = await browser.newContext({ acceptDownloads: true, locale: 'de-DE' });
    context.on('request', (request) => requested.push(request.url()));
    contexts.push(context);
    return context;
  }

  /** Signs in through a one-time link, as a person would: open the link, press "Anmelden". */
  async function signIn(role: Role, municipalities: string[] | '*'): Promise<Page> {
    const page = await (await newContext()).newPage();
    await page.goto(await server.link(role, municipalities));
    expect(await text(page.locator('h1'))).toBe('Anmeldung bestätigen');
    await Promise.all([page.waitForURL(`${server.url}/`), page.getByRole('button', { name: 'Anmelden' }).click()]);
    return page;
  }

  async function expectNoViolations(page: Page, what: string) {
    const violations = await axeViolations(page);
    expect(violations, `${what}:\n${describeViolations(violations)}`).toEqual([]);
  }

  it('signs in by a one-time link; the same link is refused the second time', async () => {
    const context = await newContext();
    const page = await context.newPage();
    const link = await server.link('leadership', [JENA]);
    await page.goto(link);
    await expectNoViolations(page, 'Anmeldung bestätigen');
    await Promise.all([page.waitForURL(`${server.url}/`), page.getByRole('button', { name: 'Anmelden' }).click()]);
    expect(await text(page.locator('h1'))).toBe('Übersicht: Jena');
    expect(await text(page.locator('.vst-user'))).toContain('Leitung');

    const other = await (await newContext()).newPage();
    await other.goto(link);
    await other.getByRole('button', { name: 'Anmelden' }).click();
    expect(await text(other.locator('.kern-alert--danger'))).toContain('bereits verwendet');
    await expectNoViolations(other, 'Anmelden mit Fehler');
    expect(new URL(other.url()).pathname).toBe('/anmelden/link');

    // Sign-out ends the session: the dashboard sends to the sign-in page again.
    await Promise.all([page.waitForURL(/\/anmelden\?abgemeldet=1$/), page.getByRole('button', { name: 'Abmelden' }).click()]);
    expect(await text(page.locator('.kern-alert--success'))).toContain('abgemeldet');
    await expectNoViolations(page, 'Anmelden nach Abmelden');
    await page.goto(`${server.url}/`);
    expect(new URL(page.url()).pathname).toBe('/anmelden');
  });

  it('shows a Jena leader Jena only and a 404 page for a Weimar position', async () => {
    const page = await signIn('leadership', [JENA]);
    await page.locator('#alle-stellen ~ details > summary, .vst-details > summary').first().click();
    const rows = page.locator('[data-testid="alle-stellen-tabelle"] tbody tr');
    expect(await rows.count()).toBeGreaterThan(0);
    const jena = await queryContinuationRisk(server.database.db, { asOf: server.clock.today(), municipality: JENA });
    const shown = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-position')));
    expect(new Set(shown)).toEqual(new Set(jena.map((r) => r.positionId)));
    expect(await text(page.locator('main'))).not.toContain('Weimar');

    const weimar = await queryContinuationRisk(server.database.db, { asOf: server.clock.today(), municipality: WEIMAR });
    expect(weimar.length).toBeGreaterThan(0);
    const response = await page.goto(`${server.url}/stellen/${weimar[0]!.positionId}`);
    expect(response?.status()).toBe(404);
    expect(await text(page.locator('h1'))).toBe('Seite nicht gefunden');
    await expectNoViolations(page, '404');
    const filtered = await page.goto(`${server.url}/?kommune=${WEIMAR}`);
    expect(filtered?.status()).toBe(404);
    // The same position through the API with the session cookie: 404 as well.
    const api = await page.request.get(`${server.url}/api/v1/continuation-risk?municipality=${WEIMAR}`);
    expect(api.status()).toBe(403);

    // Auditor pages are not for leadership: a 403 page.
    const audit = await page.goto(`${server.url}/pruefung`);
    expect(audit?.status()).toBe(403);
    expect(await text(page.locator('h1'))).toBe('Keine Berechtigung');
    await expectNoViolations(page, '403');

    // The record pages of Jena show leadership the Verlauf: what, recorded by whom, when.
    await page.goto(`${server.url}/stellen/${jena[0]!.positionId}`);
    expect(await text(page.locator('h1'))).toBe(jena[0]!.title);
    const history = page.locator('[data-testid="verlauf"] tbody tr');
    expect(await history.count()).toBeGreaterThan(0);
    const [when, what, who] = await history.first().locator('td').allTextContents();
    expect(when).toMatch(/^\d{2}\.\d{2}\.\d{4}.* Uhr$/);
    expect(what).toContain('Stelle „');
    expect(who).not.toBe('');
    await expectNoViolations(page, 'Stelle (Leitung)');
    await page.goto(`${server.url}/zuwendungen/${jena[0]!.grantId}`);
    expect(await page.locator('[data-testid="verlauf"] tbody tr').count()).toBeGreaterThan(0);
    // The same record's stream in the auditor's pages stays closed, and so does the API's log.
    expect((await page.goto(`${server.url}/pruefung/stream/position-${jena[0]!.positionId}`))?.status()).toBe(403);
    expect((await page.request.get(`${server.url}/api/v1/audit/streams/position-${jena[0]!.positionId}`)).status()).toBe(403);
  });

  it('shows every risk level on the demo dashboard, each in words', async () => {
    const page = await signIn('admin', '*');
    expect(await text(page.locator('h1'))).toBe('Übersicht: Alle Kommunen');
    await page.locator('.vst-details > summary').click();
    const levels = await page.locator('[data-testid="alle-stellen-tabelle"] [data-risk]').evaluateAll((badges) =>
      badges.map((b) => [b.getAttribute('data-risk'), b.textContent?.trim()]),
    );
    const words = Object.fromEntries(levels);
    expect(words).toEqual({ high: 'hoch', medium: 'mittel', low: 'niedrig', ended: 'beendet', none: 'keins' });
    // The Handlungsbedarf table: the most urgent first.
    const urgent = await page.locator('[data-testid="handlungsbedarf-tabelle"] [data-risk]').evaluateAll((b) => b.map((x) => x.getAttribute('data-risk')));
    expect(urgent[0]).toBe('high');
    expect(await (page.locator('.vst-chart svg[role="img"]')).getAttribute('aria-label')).toMatch(/Eigenmittel/);
    await expectNoViolations(page, 'Übersicht mit Daten');
  });

  it('answers first: the risk summary above the fold at 1280×800, before the filter form', async () => {
    const page = await signIn('admin', '*');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${server.url}/?kommune=16063000`);
    const summary = page.locator('[data-testid="hohes-risiko"]');
    const box = await summary.boundingBox();
    expect(box, 'summary rendered').not.toBeNull();
    expect(box!.y + box!.height).toBeLessThan(800);
    const order = await page.evaluate(() => {
      const { document, Node } = globalThis as any;
      const cards = document.querySelector('[data-testid="hohes-risiko"]');
      const form = document.querySelector('main form[action="/"]');
      return cards.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING;
    });
    expect(order).toBeTruthy();
    // The navigation is KERN's horizontal link list, not a bulleted list.
    const nav = await page.locator('nav[aria-label="Hauptnavigation"] ul').evaluate((ul) => {
      const style = (globalThis as any).getComputedStyle(ul);
      return [ul.className, style.display, style.flexDirection, style.listStyleType];
    });
    expect(nav).toEqual([expect.stringContaining('kern-list--horizontal'), 'flex', 'row', 'none']);
    await expectNoViolations(page, 'Übersicht Wartburgkreis');
  });

  it('prints the dashboard for a council meeting: no navigation, forms or buttons; tables whole; the chart kept', async () => {
    const page = await signIn('admin', '*');
    await page.goto(`${server.url}/`);
    await page.emulateMedia({ media: 'print' });
    const shown = (selector: string) =>
      page.locator(selector).evaluateAll((elements) => elements.filter((e) => (globalThis as any).getComputedStyle(e).display !== 'none' && e.getClientRects().length > 0).length);
    expect(await page.locator('form').count()).toBeGreaterThan(1);
    for (const hidden of ['nav', 'form', 'button', 'input', 'select', '.vst-downloads', '.vst-skip-link', '.kern-kopfzeile', 'footer', '#was-waere-wenn', '.vst-details']) {
      expect(await shown(hidden), hidden).toBe(0);
    }
    expect(await shown('.vst-chart svg[role="img"]')).toBe(1);
    expect(await shown('[data-testid="kostenklippe"]')).toBe(1);
    expect(await shown('[data-testid="handlungsbedarf-tabelle"]')).toBe(1);
    expect(await shown('.vst-print-line')).toBe(1);
    const rows = await page.locator('[data-testid="kostenklippe"] tr').evaluateAll((trs) => trs.map((tr) => (globalThis as any).getComputedStyle(tr).breakInside));
    expect(new Set(rows)).toEqual(new Set(['avoid']));
    expect(await page.locator('[data-testid="kostenklippe"] thead').evaluate((e) => (globalThis as any).getComputedStyle(e).display)).toBe('table-header-group');
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');
  });

  it('shows the cost cliff table with the numbers of GET /api/v1/own-funds, to the cent', async () => {
    const page = await signIn('admin', '*');
    const response = await fetch(`${server.url}/api/v1/own-funds?from=2024&to=2031`, { headers: { authorization: `Bearer ${await server.adminToken()}` } });
    const api = (await response.json()) as { items: { year: number; programme: string; ownShareCents: number; continuationCents: number; totalCents: number }[] };
    const expected = new Map<string, [number, number, number]>();
    for (const item of api.items) {
      const key = `${item.year}|${item.programme}`;
      const sum = expected.get(key) ?? [0, 0, 0];
      expected.set(key, [sum[0] + item.ownShareCents, sum[1] + item.continuationCents, sum[2] + item.totalCents]);
    }
    for (const [key, sums] of expected) if (sums[2] === 0 && sums[0] === 0 && sums[1] === 0) expected.delete(key);
    const shown = await page.locator('[data-testid="kostenklippe"] tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [
        `${tr.getAttribute('data-year')}|${tr.getAttribute('data-programme')}`,
        [...tr.querySelectorAll('td[data-cents]')].map((td) => Number(td.getAttribute('data-cents'))),
        [...tr.querySelectorAll('td')].map((td) => td.textContent),
      ]),
    );
    expect(new Map(shown.map(([key, cents]) => [key, cents]))).toEqual(expected);
    // The text says the same as the number: 1.234,56 €.
    const [, cents, texts] = shown[0]!;
    const euro = (c: number) => new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' }).format(c / 100);
    expect((texts as string[])[1]).toBe(euro((cents as number[])[0]!));

    // What-if: tick the open positions, 100 %; the scenario is a GET link and changes the totals.
    const boxes = page.locator('input[name="stelle"]');
    expect(await boxes.count()).toBeGreaterThan(0);
    for (const box of await boxes.all()) await box.check();
    await page.locator('#anteil-100').check();
    await Promise.all([page.waitForURL(/stelle=/), page.getByRole('button', { name: 'Szenario berechnen' }).click()]);
    const scenario = await page.locator('[data-testid="szenario"] tbody td[data-cents]').evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-cents'))));
    const without = [...expected.entries()].filter(([k]) => k.startsWith('2031|')).reduce((s, [, v]) => s + v[2], 0);
    expect(scenario.at(-1)).toBeGreaterThan(without);
    await expectNoViolations(page, 'Übersicht mit Szenario');
    // Nothing was recorded: the API's numbers are unchanged.
    const after = await fetch(`${server.url}/api/v1/own-funds?from=2024&to=2031`, { headers: { authorization: `Bearer ${await server.adminToken()}` } });
    expect(await after.json()).toEqual(api);
  });

  it('downloads the tables as CSV and Excel', async () => {
    const page = await signIn('admin', '*');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Kostenklippe als CSV' }).click()]);
    const text = await readFile((await csv.path())!, 'utf8');
    expect(text.startsWith('\uFEFFAGS;Kommune;Programm;Haushaltsjahr')).toBe(true);
    expect(csv.suggestedFilename()).toMatch(/^kostenklippe-\d{4}-\d{4}\.csv$/);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Handlungsbedarf als Excel' }).click()]);
    const bytes = await readFile((await xlsx.path())!);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    const [all] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Alle Stellen als CSV' }).click()]);
    expect((await readFile((await all.path())!, 'utf8')).split('\r\n').length).toBeGreaterThan(10);
    // The auditor's export of the log: one JSON object per line.
    await page.goto(`${server.url}/pruefung/export`);
    const [log] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Protokoll herunterladen' }).click()]);
    const lines = (await readFile((await log.path())!, 'utf8')).trim().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ globalPosition: 1 });
  });

  it('refuses a form post without the CSRF token and changes nothing', async () => {
    const page = await signIn('leadership', [JENA]);
    const refused = await page.request.post(`${server.url}/abmelden`, { form: { weiter: '/' } });
    expect(refused.status()).toBe(403);
    expect(await refused.text()).toContain('Das Formular ist abgelaufen');
    const wrong = await page.request.post(`${server.url}/abmelden`, { form: { _csrf: 'x'.repeat(32) } });
    expect(wrong.status()).toBe(403);
    // Still signed in.
    const still = await page.goto(`${server.url}/`);
    expect(still?.status()).toBe(200);
    expect(await text(page.locator('h1'))).toBe('Übersicht: Jena');
    // The session cookie reads the API but never writes through it.
    const write = await page.request.post(`${server.url}/api/v1/grants`, { data: {} });
    expect(write.status()).toBe(401);
  });

  it('passes axe-core on the auditor pages, the record pages and the legal pages', async () => {
    const page = await signIn('auditor', '*');
    const risk = await queryContinuationRisk(server.database.db, { asOf: server.clock.today() });
    const position = risk.find((r) => r.decision !== null)!;
    const pages: Array<[string, string, number]> = [
      ['/pruefung', 'Protokoll', 200],
      [`/pruefung?typ=FundsDrawn&von=2016-01-01`, 'Protokoll gefiltert', 200],
      ['/pruefung?von=31.12.', 'Protokoll mit Fehler', 400],
      [`/pruefung/stream/position-${position.positionId}`, 'Datensatz', 200],
      ['/pruefung/pruefen', 'Protokoll prüfen', 200],
      ['/pruefung/wie-bekannt', 'Ansicht wie bekannt (leer)', 200],
      [`/pruefung/wie-bekannt?datum=${server.clock.today()}&uhrzeit=23:59&ansicht=continuation-risk`, 'Ansicht wie bekannt', 200],
      ['/pruefung/wie-bekannt?datum=2019-02-30&uhrzeit=25:00&ansicht=continuation-risk', 'Ansicht wie bekannt mit Fehler', 400],
      ['/pruefung/export', 'Export', 200],
      [`/stellen/${position.positionId}`, 'Stelle', 200],
      [`/zuwendungen/${position.grantId}`, 'Zuwendung', 200],
      ['/?stand=2026-13-45', 'Übersicht mit Fehler', 400],
      ['/impressum', 'Impressum', 200],
      ['/datenschutz', 'Datenschutz', 200],
      ['/barrierefreiheit', 'Barrierefreiheit', 200],
      ['/abmelden', 'Abmelden', 200],
      ['/stellen/keine-uuid', '404', 404],
    ];
    for (const [path, what, status] of pages) {
      const response = await page.goto(`${server.url}${path}`);
      expect(response?.status(), what).toBe(status);
      await expectNoViolations(page, what);
    }
    await page.goto(`${server.url}/pruefung/pruefen`);
    expect(await text(page.locator('.kern-alert--success'))).toContain('Kette unversehrt');
    await page.goto(`${server.url}/pruefung/wie-bekannt?datum=2017-01-01&uhrzeit=12:00&ansicht=continuation-risk&stand=2017-01-01`);
    expect(await text(page.locator('.kern-alert--info'))).toContain('So angezeigt am 01.01.2017, 12:00 Uhr');
    await page.goto(`${server.url}/stellen/${position.positionId}`);
    expect(await text(page.locator('[data-testid="verlauf"] tbody tr').first())).toContain('Stelle „');
  });

  it('gives the auditor the signed digest and the public key, and checks the log against an uploaded digest', async () => {
    const page = await signIn('auditor', '*');
    await page.goto(`${server.url}/pruefung/pruefen`);
    expect(await page.locator('nav [aria-current="page"]').allTextContents()).toEqual(['Protokoll prüfen']);
    const [digestFile] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Signierten Stand herunterladen (JSON)' }).click()]);
    expect(digestFile.suggestedFilename()).toMatch(/^verstetigt-stand-\d+\.json$/);
    const digestPath = (await digestFile.path())!;
    const digest = JSON.parse(await readFile(digestPath, 'utf8')) as LogDigest;
    expect(digest.position).toBe(await server.store.headPosition());
    const [keyFile] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Öffentlichen Schlüssel herunterladen (PEM)' }).click()]);
    expect(keyFile.suggestedFilename()).toMatch(/^verstetigt-schluessel-.+\.pem$/);
    const pem = await readFile((await keyFile.path())!, 'utf8');
    expect(pem.startsWith('-----BEGIN PUBLIC KEY-----')).toBe(true);
    // Anyone checks the signature with the key, outside verstetigt.
    expect(verifySignature(null, Buffer.from(digestMessage(digest)), createPublicKey(pem), Buffer.from(digest.signature, 'base64'))).toBe(true);

    const submit = async (file: Parameters<Locator['setInputFiles']>[0]) => {
      await page.goto(`${server.url}/pruefung/pruefen`);
      await page.locator('#digest').setInputFiles(file);
      const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Gegen gespeicherten Stand prüfen' }).click()]);
      await page.waitForLoadState('load');
      return response.status();
    };
    // The same file: intact.
    expect(await submit(digestPath)).toBe(200);
    expect(await text(page.locator('#ergebnis.kern-alert--success'))).toContain(`Protokoll unversehrt: Stand bis Position ${digest.position}`);
    await expectNoViolations(page, 'Protokoll gegen Stand geprüft');
    // A tampered digest (another position under the same signature): refused in words.
    const tampered = { ...digest, position: digest.position - 1 };
    expect(await submit({ name: 'stand.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(tampered)) })).toBe(422);
    expect(await text(page.locator('#ergebnis.kern-alert--danger'))).toContain('die Signatur stammt nicht von diesem Protokoll');
    await expectNoViolations(page, 'Protokoll gegen fremden Stand');
    // Not a digest at all: the field says so.
    expect(await submit({ name: 'notiz.json', mimeType: 'application/json', buffer: Buffer.from('{"hallo":1}') })).toBe(400);
    expect(await text(page.locator('#digest-fehler'))).toContain('kein gespeicherter Stand');
    await expectNoViolations(page, 'Protokoll prüfen mit Fehler');
    // Without the CSRF token nothing is checked.
    const refused = await page.request.post(`${server.url}/pruefung/pruefen`, { multipart: { digest: { name: 'stand.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(digest)) } } });
    expect(refused.status()).toBe(403);
  });

  it('serves the API documentation from this server, usable with the session', async () => {
    const page = await signIn('admin', '*');
    await page.goto(`${server.url}/docs`);
    expect(await text(page.locator('.swagger-ui .info .title'))).toContain('verstetigt');
    // axe-core on what Swagger UI rendered, with one operation expanded (docs.css and docs.js
    // repair its colours, the nested link in the operation button and the unnamed servers select).
    await page.locator('.opblock-summary-control').first().click();
    await page.locator('.opblock.is-open .opblock-body .parameters-container, .opblock.is-open .opblock-body .responses-wrapper').first().waitFor();
    expect(await page.locator('.opblock').count()).toBeGreaterThan(10);
    await expectNoViolations(page, '/docs');
    const spec = await page.request.get(`${server.url}/openapi.json`, { headers: { cookie: '' } });
    expect(spec.status()).toBe(200);
  });

  it('sends no request to another origin', () => {
    expect(requested.length).toBeGreaterThan(50);
    const foreign = requested.filter((url) => !url.startsWith(`${server.url}/`) && !url.startsWith('data:') && url !== 'about:blank');
    expect(foreign).toEqual([]);
  });
});

describe.skipIf(!chromiumAvailable)('pages without data in Chromium', () => {
  let browser: Browser;
  let server: WebTestServer;

  beforeAll(async () => {
    [browser, server] = await Promise.all([launchChromium(), startWebTestServer({ demo: false })]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the empty dashboard and audit log with what to do, and passes axe-core', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(await server.link('admin', '*'));
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname, await text(page.locator('main'))).toBe('/');
    expect(await text(page.locator('main'))).toContain('Noch keine Stelle erfasst');
    let violations = await axeViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await page.goto(`${server.url}/pruefung?typ=FundsDrawn`);
    expect(await text(page.locator('main'))).toContain('Keine Einträge');
    violations = await axeViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await page.goto(`${server.url}/anmelden`);
    violations = await axeViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
  });
});
