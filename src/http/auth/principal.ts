// Who is calling: the verified token's claims, reduced to what authorisation needs.
import { z } from 'zod';
import { ags } from '../../../schemas/index.js';

export const ROLES = ['admin', 'finance', 'leadership', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** The caller: subject, role and the municipalities (AGS) the token covers, or '*' for all. */
export interface Principal {
  sub: string;
  role: Role;
  municipalities: string[] | '*';
}

/** The claims verstetigt reads from a token (others are ignored). */
export const TokenClaims = z.object({
  sub: z.string().min(1).max(200),
  role: z.enum(ROLES),
  municipalities: z.union([z.tuple([z.literal('*')]), z.array(ags).min(1).max(500)]),
  exp: z.number().int(),
});

/** The principal of verified claims; throws a ZodError when a claim is missing or wrong. */
export function principalFromClaims(claims: unknown): Principal {
  const parsed = TokenClaims.parse(claims);
  const list = parsed.municipalities as string[];
  return { sub: parsed.sub, role: parsed.role, municipalities: list[0] === '*' ? '*' : [...new Set(list)] };
}

/** True when the principal may see `municipality`. */
export function covers(principal: Principal, municipality: string): boolean {
  return principal.municipalities === '*' || principal.municipalities.includes(municipality);
}
