import { defineConfig } from 'vitest/config';

// `npm run bench`: the benchmarks in bench/, apart from the tests (vitest.config.ts), which never see them.
export default defineConfig({
  test: {
    include: [],
    benchmark: { include: ['bench/**/*.bench.ts'] },
    setupFiles: ['test/harness/messages.ts'],
    // One file at a time, so no benchmark shares the two cores with another.
    pool: 'forks',
    maxWorkers: 1,
    hookTimeout: 600_000,
  },
});
