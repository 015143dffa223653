import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The template database, and the browser (with its fonts) for the sandbox's browser tests.
    globalSetup: ['test/harness/global-setup.ts', 'test/sandbox/chromium-setup.ts'],
    // The message registry handed to the services, as main.ts does.
    setupFiles: ['test/harness/messages.ts'],
    // Each file gets its own database; two at a time fits two cores and PGlite's memory per instance.
    pool: 'forks',
    maxWorkers: 2,
    // Only a guard against a hang: no test is timed (benchmarks measure), and a 2-core machine under load runs
    // a day of the sandbox's clock in well over 30 s.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
