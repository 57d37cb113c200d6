import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
  },
});
