import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { createVitest } from 'vitest/node'
import type { Reporter, TestModule } from 'vitest/node'
import { PROJECT_ROOT } from '../../src/paths.ts'

/** `provide.conform` filters (docs/vitest.md), as a user sets them in a config of their own. */
const dir = mkdtempSync(join(PROJECT_ROOT, '.provide-test-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Each suite file of the run: its state, and its tests by name and state. */
class Modules implements Reporter {
  files = new Map<string, { state: string; errors: string[]; tests: Map<string, string> }>()
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    for (const m of modules) {
      const tests = new Map<string, string>()
      for (const t of m.children.allTests()) tests.set(t.name, t.result().state)
      this.files.set(m.moduleId.slice(PROJECT_ROOT.length + 1), { state: m.state(), errors: m.errors().map((e) => e.message), tests })
    }
  }
}

test("provide.conform.apis: only the chosen API's checks are registered, run and pass", async () => {
  const config = join(dir, 'vitest.config.ts')
  writeFileSync(
    config,
    `import { defineConfig, mergeConfig } from 'vitest/config'
import base from ${JSON.stringify(join(PROJECT_ROOT, 'vitest.config.ts'))}
export default mergeConfig(base, defineConfig({ test: { provide: { conform: { target: 'reference', seed: 5, apis: ['logicmelon'] } } } }))
`,
  )
  const modules = new Modules()
  const vitest = await createVitest('test', { root: PROJECT_ROOT, config, watch: false, project: ['conformance'], reporters: [modules] })
  try {
    await vitest.start([join(PROJECT_ROOT, 'suites', 'conformance.test.ts')])
  } finally {
    await vitest.close()
  }
  const suite = modules.files.get('suites/conformance.test.ts')!
  expect(suite.errors).toEqual([])
  expect(suite.state).toBe('passed')
  expect(suite.tests.size).toBeGreaterThan(20)
  // Only the APIs asked for: every test is a LogicMelon check, and each passed.
  expect(
    [...suite.tests.keys()].every((name) => name.startsWith('logicmelon.')),
    JSON.stringify([...suite.tests.keys()]),
  ).toBe(true)
  expect(
    [...suite.tests.values()].every((s) => s === 'passed'),
    JSON.stringify([...suite.tests]),
  ).toBe(true)
})

test('a provide.conform that names what the project lacks, or selects nothing, fails the run saying which key; it never passes on nothing', async () => {
  const cases: Array<[string, RegExp]> = [
    ["apis: ['logicmelen']", /provide\.conform\.apis: unknown api "logicmelen"/],
    [
      "spec: ['logicmelon.user-update.wrong-usernam']",
      /provide\.conform\.spec: no spec has the id or file "logicmelon\.user-update\.wrong-usernam"; did you mean logicmelon\.user-update\.wrong-username\?/,
    ],
    ["covers: ['LM-99']", /provide\.conform\.covers: unknown behaviour "LM-99"/],
    ["bindings: ['soap13']", /provide\.conform\.bindings: unknown binding "soap13"/],
    ["deviations: ['nope']", /unknown deviation "nope" \(see conform deviations\)/],
    // Each names something real; together nothing (a REST API's spec on a SOAP binding).
    [
      "spec: ['ecgrid-rest.update-user.data-shape'], bindings: ['soap11']",
      /provide\.conform selects no check on target "reference" \(bindings: \["soap11"\], spec: \["ecgrid-rest\.update-user\.data-shape"\]\); nothing was run/,
    ],
  ]
  for (const [provide, said] of cases) {
    const config = join(dir, `vitest.bad-${cases.findIndex(([p]) => p === provide)}.config.ts`)
    writeFileSync(
      config,
      `import { defineConfig, mergeConfig } from 'vitest/config'
import base from ${JSON.stringify(join(PROJECT_ROOT, 'vitest.config.ts'))}
export default mergeConfig(base, defineConfig({ test: { provide: { conform: { target: 'reference', ${provide} } } } }))
`,
    )
    const modules = new Modules()
    const vitest = await createVitest('test', { root: PROJECT_ROOT, config, watch: false, project: ['conformance'], reporters: [modules] })
    let failure: unknown
    try {
      await vitest.start([join(PROJECT_ROOT, 'suites', 'conformance.test.ts')])
    } catch (e) {
      failure = e
    } finally {
      await vitest.close()
    }
    const errors = [failure, ...vitest.state.getUnhandledErrors()].filter(Boolean).map((e) => (e as Error).message)
    expect(errors.join('\n'), provide).toMatch(said)
    expect(
      [...modules.files.values()].flatMap((m) => [...m.tests.values()]).filter((s) => s === 'passed'),
      provide,
    ).toEqual([])
  }
})
