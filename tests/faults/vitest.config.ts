// The fault suite (`npm run test:faults`): kills the server, restarts PostgreSQL, races writers and
// sends hostile input. It runs alone, after `npm test` (bash .ci/run), one file at a time, because
// restarting PostgreSQL breaks every other connection to it.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['tests/faults/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
