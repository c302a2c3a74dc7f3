import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Exhaustive runs and CLI processes take seconds, not milliseconds.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Fixed seeds: a failing property prints its seed and path, and CI replays the same runs.
    pool: 'forks',
  },
});
