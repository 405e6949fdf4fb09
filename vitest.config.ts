import { fileURLToPath } from 'node:url'
import { configDefaults, defineConfig } from 'vitest/config'

const ROOT = fileURLToPath(new URL('.', import.meta.url))
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

// Two projects: the conformance suites (one vitest test per spec × binding, run against a target)
// and the project's own tests (engine units, reference units, self-check, hostile inputs).
export default defineConfig({
  test: {
    // Watch mode: a spec's YAML edited re-runs the suite (the specs are read again); so does the config.
    watchTriggerPatterns: [{ pattern: /specs\/.+\.ya?ml$/, testsToRun: () => 'suites/conformance.test.ts' }],
    forceRerunTriggers: [...configDefaults.forceRerunTriggers, '**/conform.config.yaml', '**/specs/behaviours.yaml'],
    projects: [
      {
        extends: true,
        test: {
          name: 'conformance',
          include: ['suites/**/*.test.ts'],
          globalSetup: ['suites/global-setup.ts'],
          // What the run is asked to do (docs/vitest.md): a config of your own can extend this one and change it.
          provide: { conform: { target: 'reference', seed: 42 } },
          // One file after another in one worker: each runs its API's checks through the engine under the target's
          // limits (src/vitest/register.ts); a test waits for its check's verdict, whose time limit runs from its start.
          isolate: false,
          fileParallelism: false,
          maxConcurrency: 1000,
          // The engine, the reference and the reporters are loaded by Node itself (it strips their types, as when the CLI
          // runs them), not through vite's module runner; nothing here is mocked.
          server: { deps: { external: [new RegExp(`^${escapeRegExp(ROOT)}(src|reference)/`)] } },
          testTimeout: 0,
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
