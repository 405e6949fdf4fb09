import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const ROOT = fileURLToPath(new URL('.', import.meta.url))
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

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
          // One worker, no isolation: the suite files share one engine session (src/vitest/session.ts), which runs
          // every check of the run under the target's limits while vitest walks the files; a test waits for its
          // check's verdict (it may queue behind others, so no per-test timeout: a check's time limit runs from its start,
          // src/vitest/stopping.ts).
          isolate: false,
          // The engine, the reference and the reporters are loaded by Node itself (it strips their types, as when the CLI
          // runs them, and keeps their compiled code in its compile cache), not through vite's module runner: the worker
          // starts ~0.35 s sooner. Nothing here is mocked, and only the suites' own files need vitest's transform.
          server: { deps: { external: [new RegExp(`^${escapeRegExp(ROOT)}(src|reference|reporters)/`)] } },
          fileParallelism: false,
          maxConcurrency: 1000,
          // Waits, after a cancelled run, for the checks under way to restore their users (src/vitest/runner.ts).
          runner: './src/vitest/runner.ts',
          testTimeout: 0,
          hookTimeout: 60_000,
          // conform run bounds the worker's heap (src/run/worker-heap.ts); a plain vitest run leaves V8's default.
          // `npm run bench -- --profile` asks for a CPU profile of the worker too (bench/lib/profile.ts).
          execArgv: [
            ...(process.env.CONFORM_WORKER_HEAP_MB ? [`--max-old-space-size=${process.env.CONFORM_WORKER_HEAP_MB}`] : []),
            ...(process.env.CONFORM_CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CONFORM_CPU_PROFILE_DIR}`] : []),
          ],
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
