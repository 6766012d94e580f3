// The database handle every module queries through: Kysely over PostgreSQL or PGlite.
import type { Kysely } from 'kysely';

/** Any table shape: each module (event store, projections) types its own tables. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Db = Kysely<any>;
