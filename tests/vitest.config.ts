// Test configuration: kept under tests/ so the top level stays as the design card says.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/bench/**', 'tests/faults/**', 'tests/worker/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // PostgreSQL suites share one database; files run one at a time to keep them apart.
    fileParallelism: false,
  },
});
