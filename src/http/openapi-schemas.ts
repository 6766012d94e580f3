// Response shapes shared by the routes, as zod schemas so the OpenAPI document is generated from them.
import { z } from '@hono/zod-openapi';

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    rule: z.string().optional().openapi({ description: 'Bei 422: der Code der verletzten Regel' }),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: 'Bei 400: die ungültigen Felder' }),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details' });

export const WriteResultSchema = z
  .object({
    id: z.string(),
    version: z.number().int().openapi({ description: 'Version des Datensatzes nach dem Schreiben (für If-Match)' }),
    globalPosition: z
      .number()
      .int()
      .openapi({ description: 'Position im Ereignisprotokoll; mit ?minPosition= auf Auswertungen warten' }),
  })
  .openapi('WriteResult');

/**
 * Compile-time check that a response schema and the projection's row type describe the same
 * shape (each assignable to the other); a field added to one and not the other fails `tsc`.
 */
export function sameShape<A, B>(_proof: [A] extends [B] ? ([B] extends [A] ? true : never) : never): void {}
