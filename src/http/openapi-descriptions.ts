// German descriptions and examples for every request field of the OpenAPI document, kept in one
// dictionary (field name → text and example) and applied to the generated document in one pass,
// so the zod schemas stay free of documentation and a new field needs one line here. What a
// schema says about itself (`.openapi({ description, example })`) wins over the dictionary.
// tests/http/openapi-descriptions.test.ts fails for a request field this dictionary misses.

/** The description and example of a request field. */
export interface FieldText {
  description: string;
  example: unknown;
}

const date = (description: string, example: string): FieldText => ({ description: `${description} (JJJJ-MM-TT)`, example });

/** Request fields (body properties and parameters) by name. */
export const FIELD_TEXTS: Readonly<Record<string, FieldText>> = {
  // grants
  municipality: { description: 'Amtlicher Gemeindeschlüssel (AGS, 8 Ziffern) des Landkreises oder der kreisfreien Stadt', example: '16053000' },
  programme: { description: 'Code des Förderprogramms', example: 'thilik' },
  reference: { description: 'Förderkennzeichen aus dem Zuwendungsbescheid', example: '01JL1623' },
  awardedOn: date('Datum des Zuwendungsbescheids', '2016-08-10'),
  periodStart: date('Erster Tag des Bewilligungszeitraums', '2016-09-01'),
  periodEnd: date('Letzter Tag des Bewilligungszeitraums (letzter geförderter Tag)', '2019-08-31'),
  amountCents: { description: 'Betrag in ganzen Cent (41.280.000 Cent = 412.800,00 €)', example: 41_280_000 },
  fundingRatePercent: { description: 'Fördersatz in Prozent der zuwendungsfähigen Ausgaben (0–100, höchstens zwei Nachkommastellen)', example: 80 },
  financingType: {
    description: 'Finanzierungsart nach VV Nr. 2.2 zu § 44 BHO/LHO: anteil (Anteilfinanzierung), fehlbedarf (Fehlbedarfsfinanzierung), festbetrag (Festbetragsfinanzierung) oder voll (Vollfinanzierung)',
    example: 'anteil',
  },
  ownShareCents: {
    description:
      'Eigenanteil der Kommune über den ganzen Bewilligungszeitraum in ganzen Cent (im Änderungsbescheid: der neue Eigenanteil; bei Anteilfinanzierung ohne Angabe aus dem Fördersatz abgeleitet)',
    example: 10_320_000,
  },
  spendWithinDays: { description: 'Frist in Tagen, in der abgerufene Mittel auszugeben sind (ANBest: in der Regel 42 Tage = sechs Wochen)', example: 42 },
  spendWithin: {
    description:
      'Verwendungsfrist abgerufener Mittel: { "days": n } in Tagen (1–366) oder { "months": n } in Kalendermonaten (1–12, zum Monatsende gekappt: 31.01. + 2 Monate = 31.03.); statt spendWithinDays',
    example: { months: 2 },
  },
  days: { description: 'Verwendungsfrist in Tagen nach dem Abruf (1 bis 366)', example: 42 },
  months: { description: 'Verwendungsfrist in Kalendermonaten nach dem Abruf (1 bis 12), höchstens bis zum Monatsende', example: 2 },
  earlyStartApprovedOn: date('Tag, ab dem ein vorzeitiger Maßnahmebeginn genehmigt wurde (Besetzung vor dem Bescheid ist dann ab diesem Tag unschädlich); null, wenn keiner genehmigt wurde', '2016-07-01'),
  spentCents: { description: 'Im Nachweis gemeldete Ausgaben in ganzen Cent; sie belegen die ältesten Mittelabrufe zuerst', example: 12_000_000 },
  contractSignedOn: date('Tag, an dem der Arbeitsvertrag unterschrieben wurde (für die Prüfung auf förderschädlichen Maßnahmebeginn)', '2016-08-15'),
  followUpGrantId: {
    description: 'Bei Anschlussförderung: ID der Anschlusszuwendung (gleiche Kommune); die Stelle folgt dann deren Förderende',
    example: '0190b2f8-6c1e-7000-8000-000000000002',
  },
  followUpEndsOn: date('Bei Anschlussförderung ohne erfasste Zuwendung: letzter Tag der Anschlussförderung', '2025-06-30'),
  contractOutcome: {
    description: 'Pflicht, wenn die Stelle am Streichungstag noch besetzt ist: was mit dem Arbeitsvertrag geschieht (z. B. Umsetzung, Auslaufen der Befristung)',
    example: 'Umsetzung auf Stelle 40.12 im Jugendamt',
  },
  finalProofDueMonths: { description: 'Monate nach Ende des Bewilligungszeitraums, bis zu denen der Verwendungsnachweis fällig ist', example: 6 },
  amendedOn: date('Datum des Änderungsbescheids', '2019-06-14'),
  drawnOn: date('Tag des Mittelabrufs', '2017-03-31'),
  submittedOn: date('Tag, an dem der Nachweis eingereicht wurde', '2018-04-28'),
  kind: { description: 'Art des Nachweises: interim (Zwischennachweis) oder final (Verwendungsnachweis)', example: 'interim' },
  closedOn: date('Tag des Abschlusses der Zuwendung (Prüfung des Verwendungsnachweises beendet)', '2022-04-04'),
  // positions
  grantId: { description: 'ID der Zuwendung, aus der die Stelle gefördert wird (gleiche Kommune und gleiches Programm)', example: '0190b2f8-6c1e-7000-8000-000000000001' },
  title: { description: 'Bezeichnung der Stelle', example: 'Bildungsmanagement' },
  role: {
    description: 'Funktion der Stelle: bildungsmanagement, bildungsmonitoring, bildungskoordination, integrationsmanagement oder other',
    example: 'bildungsmanagement',
  },
  fte: { description: 'Stellenumfang in Vollzeitäquivalenten (VZÄ, größer 0 bis 1, höchstens zwei Nachkommastellen)', example: 1 },
  payGrade: { description: 'Entgeltgruppe nach TVöD', example: 'E 13' },
  annualCostCents: {
    // projections/own-funds.ts multiplies this by the position's fte (and the own-funds share).
    description:
      'Jährliche Arbeitgeberkosten einer Vollzeitstelle (1,0 VZÄ) dieser Entgeltgruppe in ganzen Cent; die Eigenmittelberechnung rechnet sie mit dem VZÄ-Umfang der Stelle um',
    example: 8_750_000,
  },
  establishedOn: date('Tag, ab dem die Stelle eingerichtet ist', '2016-09-01'),
  personRef: { description: 'Pseudonyme Kennung der Person (kein Name), 1–64 Zeichen aus A–Z, a–z, 0–9, _ . : -', example: 'P-0042' },
  startsOn: date('Erster Tag (einer Besetzung: erster Tag im Amt; eines Förderprogramms: Beginn der Laufzeit)', '2016-09-01'),
  endsOn: date(
    'Letzter Tag (einer Besetzung: Vertragsende, weglassen bei unbefristetem Vertrag; eines Förderprogramms: letzter möglicher Förderungstag, null solange es fortbesteht)',
    '2019-08-31',
  ),
  vacatedOn: date('Letzter Tag im Amt', '2018-12-31'),
  reason: { description: 'Begründung in Worten (höchstens 1000 Zeichen)', example: 'Verlängerung des Bewilligungszeitraums' },
  decision: {
    description: 'Entscheidung: own-funds (Weiterführung aus Eigenmitteln), follow-up-funding (Anschlussförderung), partial (teilweise) oder discontinue (keine Weiterführung)',
    example: 'own-funds',
  },
  effectiveFrom: date('Tag, ab dem die Entscheidung gilt', '2021-07-01'),
  ownFundsSharePercent: { description: 'Anteil der Stellenkosten, den die Kommune aus Eigenmitteln trägt, in Prozent (0–100)', example: 100 },
  decidedBy: { description: 'Wer entschieden hat: council (Kreistag/Stadtrat) oder administration (Verwaltung)', example: 'council' },
  resolutionRef: { description: 'Nummer des Beschlusses', example: 'KT-2020/045' },
  decidedOn: date('Tag des Beschlusses', '2020-11-26'),
  revokedOn: date('Tag, an dem die Entscheidung aufgehoben wurde', '2021-03-01'),
  abolishedOn: date('Tag, ab dem die Stelle gestrichen ist', '2019-09-01'),
  // programme register
  code: { description: 'Kurzcode des Förderprogramms (Kleinbuchstaben, Ziffern, Bindestriche)', example: 'bildungskommunen' },
  name: { description: 'Deutscher Name des Förderprogramms', example: 'Bildungskommunen' },
  funderKind: { description: 'Art des Zuwendungsgebers: bund, land, eu oder other', example: 'bund' },
  funderName: { description: 'Name des Zuwendungsgebers', example: 'Bundesministerium für Bildung und Forschung' },
  funder: { description: 'Zuwendungsgeber', example: 'BMBF' },
  legalBasis: { description: 'Rechtsgrundlage (Förderrichtlinie)', example: 'Richtlinie zur Förderung von Bildungskommunen' },
  guideline: { description: 'Förderrichtlinie, auf der das Programm beruht', example: 'Richtlinie zur Förderung von Bildungskommunen' },
  guidelineDate: date('Datum der Förderrichtlinie', '2022-10-05'),
  fundedRoles: { description: 'Funktionen, die das Programm fördert (weglassen: alle)', example: ['bildungsmanagement', 'bildungsmonitoring'] },
  defaults: {
    description: 'Vorgaben für die Zuwendungen des Programms (Finanzierungsart, Fördersatz, Fristen); jede darf fehlen',
    example: { financingType: 'anteil', fundingRatePercent: 60, spendWithinDays: 42, finalProofDueMonths: 6 },
  },
  grantDefaults: {
    description: 'Vorgaben für die Zuwendungen des Programms (Finanzierungsart, Fördersatz, Fristen); jede darf fehlen',
    example: { financingType: 'anteil', fundingRatePercent: 60, spendWithinDays: 42, finalProofDueMonths: 6 },
  },
  // corrections
  changes: { description: 'Die korrigierten Felder mit ihren richtigen Werten (mindestens eines)', example: { reference: '01JL1624' } },
  entry: { description: 'Nummer des Eintrags im Datensatz (seine Version), der zurückgenommen wird', example: 3 },
  // signed log digests (POST /audit/verify takes a digest as GET /audit/digest gave it)
  position: { description: 'Position des letzten Ereignisses, das der signierte Stand umfasst', example: 1234 },
  hash: { description: 'SHA-256-Hash der Kette an dieser Position (64 Hexadezimalziffern); bei scope: der gefaltete Hash der Ereignisse im Umfang', example: 'a3f1c0de'.repeat(8) },
  recordedAt: { description: 'Erfassungszeitpunkt (UTC) des letzten Ereignisses im signierten Stand; null bei leerem Protokoll', example: '2026-11-27T09:00:00.000Z' },
  keyId: { description: 'Kennung des Ed25519-Schlüssels, der signiert hat (siehe GET /api/v1/audit/public-key)', example: 'ed25519-3b5c1f0a' },
  signature: { description: 'Ed25519-Signatur (base64url) über das kanonische JSON aller anderen Felder', example: 'MEUCIQ…' },
  scope: { description: 'Nur für einen auf Kommunen beschränkten Stand: die AGS des Umfangs', example: ['16053000'] },
  count: { description: 'Nur mit scope: Anzahl der Ereignisse im Umfang bis zur Position', example: 812 },
  // parameters
  id: { description: 'ID des Datensatzes (UUID)', example: '0190b2f8-6c1e-7000-8000-000000000001' },
  streamId: { description: 'Kennung des Streams: <Art>-<ID>', example: 'programme-thilik' },
  stream: { description: 'Nur die Ereignisse dieses Streams (<Art>-<ID>)', example: 'programme-thilik' },
  asOf: date('Stichtag (Standard: heute, Europe/Berlin)', '2026-11-27'),
  knownAt: { description: 'Kenntnisstand: der Zeitpunkt (UTC), bis zu dem erfasste Ereignisse zählen', example: '2019-08-29T12:00:00Z' },
  view: { description: 'Welche Auswertung', example: 'continuation-risk' },
  format: { description: 'Ausgabeformat (alternativ Accept: text/csv)', example: 'csv' },
  minPosition: { description: 'Erst antworten, wenn die Lesemodelle diese globale Position erreicht haben', example: 42 },
  fromPosition: { description: 'Erste globale Position', example: 1 },
  limit: { description: 'Höchstens so viele Einträge', example: 100 },
  year: { description: 'Ein Haushaltsjahr', example: 2027 },
  from: { description: 'Erstes Haushaltsjahr', example: 2026 },
  to: { description: 'Letztes Haushaltsjahr', example: 2030 },
  'if-match': { description: 'W/"<Version>": nur schreiben, wenn der Datensatz noch diese Version hat', example: 'W/"3"' },
  'idempotency-key': { description: 'Wiederholte Anfragen mit demselben Schlüssel liefern die erste Antwort', example: '7d1c0c8e-2f5a-4d8e-9a51-3f0e8b1c2a90' },
};

type Json = Record<string, any>;

/** An example that fits `schema`: the dictionary's, or the first allowed value of a choice it does not fit. */
function exampleFor(schema: Json, text: FieldText): unknown {
  const choices: unknown[] | undefined = schema.enum ?? schema.anyOf?.find((s: Json) => Array.isArray(s.enum))?.enum;
  if (choices && !choices.includes(text.example)) return choices[0];
  return text.example;
}

function hasExample(node: Json): boolean {
  return node.example !== undefined || (Array.isArray(node.examples) && node.examples.length > 0);
}

/**
 * Gives every property of the request-body schemas and every parameter of `doc` (an OpenAPI 3.1
 * document) a description and an example from FIELD_TEXTS where it has none, in place, and
 * returns `doc`. Walks nested objects, arrays, unions and `$ref`s into components.
 */
export function describeRequestFields<T extends object>(doc: T): T {
  const d = doc as Json;
  const components: Json = d.components?.schemas ?? {};
  const visited = new Set<Json>();

  const walk = (schema: Json | undefined): void => {
    if (!schema || typeof schema !== 'object' || visited.has(schema)) return;
    visited.add(schema);
    if (typeof schema.$ref === 'string') walk(components[schema.$ref.split('/').pop()!]);
    for (const [name, property] of Object.entries<Json>(schema.properties ?? {})) {
      const text = FIELD_TEXTS[name];
      // A $ref cannot carry siblings in every tool; describe what it points to instead.
      const target: Json = typeof property.$ref === 'string' ? (components[property.$ref.split('/').pop()!] ?? property) : property;
      if (text) {
        target.description ??= text.description;
        if (!hasExample(target)) target.example = exampleFor(target, text);
      }
      walk(property);
    }
    if (schema.items) walk(schema.items);
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object') walk(schema.additionalProperties);
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const) for (const part of schema[key] ?? []) walk(part);
  };

  for (const operations of Object.values<Json>(d.paths ?? {})) {
    for (const operation of Object.values<Json>(operations)) {
      if (!operation || typeof operation !== 'object') continue;
      for (const media of Object.values<Json>(operation.requestBody?.content ?? {})) walk(media.schema);
      for (const parameter of operation.parameters ?? []) {
        const text = FIELD_TEXTS[parameter.name] ?? FIELD_TEXTS[String(parameter.name).toLowerCase()];
        if (!text) continue;
        parameter.description ??= parameter.schema?.description ?? text.description;
        if (!hasExample(parameter) && !hasExample(parameter.schema ?? {})) parameter.example = exampleFor(parameter.schema ?? {}, text);
      }
    }
  }
  return doc;
}
