import { defineConfig } from 'vitest/config';

// Measured in a process of its own: its peak RSS (process.resourceUsage().maxRSS) must be the archive's alone.
const OWN_PROCESS = ['test/integration/archive-memory.test.ts'];

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two files at a time on two cores (vitest's default is cores − 1 = one here): most files wait on a browser, a
    // simulator or a child process, not on the CPU. Tests assert behaviour, never time, so a busy machine only slows them.
    maxWorkers: 2,
    // expect.poll waits on a condition; vitest's 1 s default is shorter than one e2e step can take on a busy machine
    // (a browser alongside). The deadline only ends a test that is really stuck.
    expect: { poll: { timeout: 15_000 } },
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: OWN_PROCESS,
          // Files share a worker's module cache instead of importing the whole app afresh each (import time summed over
          // a run: 99 s → 14 s). Safe because tests build their own apps on fresh data directories and never patch
          // modules; a test that changes shared state (MIGRATIONS in credit-returns) puts it back in finally.
          isolate: false,
        },
      },
      { extends: true, test: { name: 'own-process', include: OWN_PROCESS, isolate: true } },
    ],
  },
});
