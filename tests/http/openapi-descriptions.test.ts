// Every request field of /openapi.json — each property of each request body, nested ones and those
// behind $ref included, and each parameter — has a German description and an example. Fails for a
// new field until src/http/openapi-descriptions.ts describes it. Runs on PGlite and, when
// TEST_DATABASE_URL is set, PostgreSQL.
import { Validator } from '@seriousme/openapi-schema-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIELD_TEXTS, describeRequestFields } from '../../src/http/openapi-descriptions.js';
import { describeEachDatabase } from '../support/databases.js';
import { testApp } from '../support/http.js';

type Json = Record<string, any>;

interface Field {
  where: string;
  node: Json;
}

/** Every property of the request-body schemas of `doc`, with where it sits, walking nested schemas and $refs. */
function requestBodyFields(doc: Json): Field[] {
  const fields: Field[] = [];
  const components: Json = doc.components?.schemas ?? {};
  const walk = (schema: Json | undefined, where: string, seen: Set<Json>): void => {
    if (!schema || typeof schema !== 'object' || seen.has(schema)) return;
    const next = new Set(seen).add(schema);
    if (typeof schema.$ref === 'string') walk(components[schema.$ref.split('/').pop()!], where, next);
    for (const [name, property] of Object.entries<Json>(schema.properties ?? {})) {
      const target = typeof property.$ref === 'string' ? components[property.$ref.split('/').pop()!] : property;
      fields.push({ where: `${where}.${name}`, node: target });
      walk(property, `${where}.${name}`, next);
    }
    if (schema.items) walk(schema.items, `${where}[]`, next);
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object') walk(schema.additionalProperties, `${where}{}`, next);
    for (const key of ['anyOf', 'oneOf', 'allOf']) for (const part of schema[key] ?? []) walk(part, where, next);
  };
  for (const [path, operations] of Object.entries<Json>(doc.paths)) {
    for (const [method, operation] of Object.entries<Json>(operations)) {
      for (const [type, media] of Object.entries<Json>(operation.requestBody?.content ?? {})) {
        walk(media.schema, `${method.toUpperCase()} ${path} ${type}`, new Set());
      }
    }
  }
  return fields;
}

const hasExample = (node: Json) => node.example !== undefined || (Array.isArray(node.examples) && node.examples.length > 0);
// German text: an umlaut, ß or one of a few German words; no English sentence slipped in.
const GERMAN = /[äöüÄÖÜß]|\b(der|die|das|des|den|dem|ein|eine|einer|eines|und|oder|nur|mit|bis|nach|vor|Tag|Datum|Betrag|Kennung|Nummer|Jahr|Stichtag|Begründung|erste|Erste|Letzte|Höchstens|Haushaltsjahr|Ausgabeformat)\b/;

describeEachDatabase('/openapi.json field descriptions', (suite) => {
  let doc: Json;
  beforeAll(async () => {
    const t = await testApp(suite.database);
    const response = await t.get('/openapi.json');
    expect(response.status).toBe(200);
    doc = (await response.json()) as Json;
  });

  it('every request-body property (nested too) has a German description and an example', () => {
    const fields = requestBodyFields(doc);
    // The write API's bodies hold dozens of fields; an empty walk would prove nothing.
    expect(fields.length).toBeGreaterThan(30);
    const missing = fields.filter((f) => typeof f.node.description !== 'string' || f.node.description.length === 0 || !hasExample(f.node));
    expect(missing.map((f) => f.where)).toEqual([]);
    const english = fields.filter((f) => !GERMAN.test(f.node.description));
    expect(english.map((f) => `${f.where}: ${f.node.description}`)).toEqual([]);
  });

  it('every parameter has a description and an example', () => {
    const missing: string[] = [];
    let count = 0;
    for (const [path, operations] of Object.entries<Json>(doc.paths)) {
      for (const [method, operation] of Object.entries<Json>(operations)) {
        for (const p of operation.parameters ?? []) {
          count += 1;
          if (!p.description || !(hasExample(p) || hasExample(p.schema ?? {}))) missing.push(`${method.toUpperCase()} ${path} ${p.in} ${p.name}`);
        }
      }
    }
    expect(count).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });

  it('examples fit their enums, and the document is still valid OpenAPI 3.1', async () => {
    for (const { where, node } of requestBodyFields(doc)) {
      if (Array.isArray(node.enum)) expect(node.enum, where).toContain(node.example);
    }
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('annualCostCents says it is the cost of a full-time post, as the own-funds projection computes it', () => {
    const field = requestBodyFields(doc).find((f) => f.where.endsWith('.annualCostCents'))!;
    expect(field.node.description).toMatch(/Vollzeitstelle \(1,0 VZÄ\)/);
    expect(field.node.description).toMatch(/VZÄ-Umfang der Stelle um/);
  });
}, { per: 'suite' });

describe('describeRequestFields', () => {
  it("keeps a schema's own description and example and fills only what is missing, nested and behind $ref", () => {
    const doc: Json = {
      paths: {
        '/x': {
          post: {
            parameters: [{ name: 'asOf', in: 'query', schema: { type: 'string' } }],
            requestBody: {
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      reason: { type: 'string', description: 'Eigener Text' },
                      changes: { type: 'object', properties: { fte: { type: 'number' } } },
                      kind: { $ref: '#/components/schemas/Kind' },
                      fundedRoles: { type: 'array', items: { type: 'object', properties: { role: { type: 'string', enum: ['other'] } } } },
                    },
                  },
                },
              },
            },
          },
        },
      },
      components: { schemas: { Kind: { type: 'string', enum: ['final', 'interim'] } } },
    };
    describeRequestFields(doc);
    const props = doc.paths['/x'].post.requestBody.content['application/json'].schema.properties;
    expect(props.reason).toEqual({ type: 'string', description: 'Eigener Text', example: FIELD_TEXTS.reason!.example });
    expect(props.changes.properties.fte).toMatchObject({ description: FIELD_TEXTS.fte!.description, example: 1 });
    expect(doc.components.schemas.Kind).toMatchObject({ description: FIELD_TEXTS.kind!.description, example: 'interim' });
    // An example outside the enum is replaced by the first allowed value.
    expect(props.fundedRoles.items.properties.role.example).toBe('other');
    expect(doc.paths['/x'].post.parameters[0]).toMatchObject({ description: FIELD_TEXTS.asOf!.description, example: '2026-11-27' });
  });

  it('covers the fields of the programme register and of corrections', () => {
    for (const name of [
      'code', 'name', 'funderKind', 'funderName', 'guideline', 'guidelineDate', 'startsOn', 'endsOn', 'fundedRoles', 'defaults',
      'financingType', 'fundingRatePercent', 'spendWithinDays', 'finalProofDueMonths', 'reason', 'changes', 'entry',
    ]) {
      expect(FIELD_TEXTS[name], name).toMatchObject({ description: expect.stringMatching(/\S/), example: expect.anything() });
    }
  });
});
