import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { createVitest } from 'vitest/node'
import type { Reporter, TestModule } from 'vitest/node'
import { PROJECT_ROOT } from '../../src/paths.ts'

/**
 * vitest's watch mode, as a user runs it (`npx vitest --project conformance`): a spec's YAML edited re-runs its API's
 * suite file, which reads the specs again and runs on a fresh reference (a re-run on the old one would find the
 * users the first run made: "the login exists").
 */
// Inside the project root: vitest watches files under its root only.
const dir = mkdtempSync(join(PROJECT_ROOT, '.watch-test-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Each finished run: its tests by name and state. */
class Runs implements Reporter {
  readonly done: Array<Map<string, string>> = []
  private waiting: Array<{ n: number; ok: () => void }> = []
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const tests = new Map<string, string>()
    for (const m of modules) for (const t of m.children.allTests()) tests.set(t.name, t.result().state)
    this.done.push(tests)
    for (const w of this.waiting.filter((w) => this.done.length >= w.n)) w.ok()
    this.waiting = this.waiting.filter((w) => this.done.length < w.n)
  }
  /** Resolves once `n` runs have finished. */
  runs(n: number): Promise<void> {
    return this.done.length >= n ? Promise.resolve() : new Promise((ok) => this.waiting.push({ n, ok }))
  }
}

test('watch mode: a spec edited on disk is picked up by the re-run, which passes on a fresh reference', async () => {
  const specs = join(dir, 'specs')
  cpSync(join(PROJECT_ROOT, 'specs'), specs, { recursive: true })
  // A config of the user's own, extending the project's: only the spec directory changes (docs/vitest.md).
  const config = join(dir, 'vitest.config.ts')
  writeFileSync(
    config,
    `import { defineConfig, mergeConfig } from 'vitest/config'
import base from ${JSON.stringify(join(PROJECT_ROOT, 'vitest.config.ts'))}
export default mergeConfig(base, defineConfig({ test: { provide: { conform: { target: 'reference', seed: 5, apis: ['ecgrid-rest'], specs: ${JSON.stringify(specs)} } } } }))
`,
  )
  const runs = new Runs()
  const vitest = await createVitest('test', { root: PROJECT_ROOT, config, watch: true, project: ['conformance'], reporters: [runs] })
  try {
    await vitest.start([join(PROJECT_ROOT, 'suites', 'conformance.test.ts')])
    await runs.runs(1)
    const project = vitest.projects.find((p) => p.name === 'conformance')!
    const referenceOf = () => project.getProvidedContext().conformRun.target.apis['ecgrid-rest']?.baseUrl
    const firstReference = referenceOf()
    expect(firstReference).toMatch(/^http:\/\/127\.0\.0\.1:\d+/)
    const first = runs.done[0]!
    expect(first.size).toBeGreaterThan(10)
    expect(
      [...first.values()].every((s) => s === 'passed'),
      JSON.stringify([...first]),
    ).toBe(true)
    expect(first.has('ecgrid-rest.update-user.data-shape@rest-json')).toBe(true)

    const file = join(specs, 'ecgrid-rest', 'update-user', 'data-shape.yaml')
    writeFileSync(file, readFileSync(file, 'utf8').replace('id: ecgrid-rest.update-user.data-shape', 'id: ecgrid-rest.update-user.data-shape-edited'))
    await runs.runs(2)
    const second = runs.done[1]!
    expect(second.has('ecgrid-rest.update-user.data-shape-edited@rest-json')).toBe(true)
    expect(second.has('ecgrid-rest.update-user.data-shape@rest-json')).toBe(false)
    expect(second.size).toBe(first.size)
    // A reference of its own (another port), not the one the first run left users and changes in.
    expect(referenceOf()).toMatch(/^http:\/\/127\.0\.0\.1:\d+/)
    expect(referenceOf()).not.toBe(firstReference)
    expect(
      [...second.values()].every((s) => s === 'passed'),
      JSON.stringify([...second]),
    ).toBe(true)
  } finally {
    await vitest.close()
  }
})
