import { defineConfig } from 'vitest/config'

// Two projects: the conformance suites (one vitest test per spec × binding, run against a target)
// and the project's own tests (engine units, reference units, self-check, hostile inputs).
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'conformance',
          include: ['suites/**/*.test.ts'],
          globalSetup: ['suites/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
})
