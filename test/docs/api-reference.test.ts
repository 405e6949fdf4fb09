import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { parse } from 'yaml'
import { apiReferenceIndex, apiReferencePage, referencePages } from '../../src/docs/api-reference.ts'
import { pagesDrift } from '../../src/docs/drift.ts'
import { cell, code, table } from '../../src/docs/markdown.ts'
import { skeleton } from '../../src/init/skeleton.ts'
import { PROJECT_ROOT } from '../../src/paths.ts'
import { loadProject, type Project } from '../../src/project.ts'
import { specDir } from '../helpers/spec-dir.ts'

/** docs/apis/<api>.md: generated from the project, committed, and never out of date; the same accounts as `conform init`. */

const project = loadProject()

/** The rows of the table under a `## heading` of a page, as cells (escaped pipes kept inside their cell). */
function tableUnder(page: string, heading: string): string[][] {
  const section = page.split(/^## /m).find((s) => s.startsWith(heading))
  expect(section, heading).toBeDefined()
  return section!
    .split('\n')
    .filter((l) => l.startsWith('| '))
    .slice(1)
    .map((l) => l.slice(2, -2).split(/ (?<!\\)\| /))
}

const unquote = (c: string) => c.replace(/^`|`$/g, '')

/** Accounts per `role@placement` as a page's table lists them. */
function pageAccounts(page: string): Record<string, number> {
  return Object.fromEntries(
    tableUnder(page, 'Accounts: roles and counts').map(([role, placement, count]) => [
      `${unquote(role!)}@${placement === 'home' ? '' : unquote(placement!)}`,
      Number(count),
    ]),
  )
}

/** Accounts per `role@placement` in the config `conform init --api NAME` writes, and the values each account lists. */
function initAccounts(p: Project, api: string): { counts: Record<string, number>; fields: string[][] } {
  const config = parse(skeleton(p, 'staging', [api], 'schemas/config.schema.json').config) as {
    targets: { staging: { apis: Record<string, { fixtures: Record<string, Array<Record<string, string>>> }> } }
  }
  const counts: Record<string, number> = {}
  const fields: string[][] = []
  for (const [role, accounts] of Object.entries(config.targets.staging.apis[api]!.fixtures)) {
    for (const { placement, ...values } of accounts) {
      counts[`${role}@${placement ?? ''}`] = (counts[`${role}@${placement ?? ''}`] ?? 0) + 1
      fields.push(Object.keys(values))
    }
  }
  return { counts, fields }
}

describe('docs/apis', () => {
  test('the committed pages are what `npm run docs` makes now (run it after changing an api.yaml, a spec or the catalogue)', () => {
    expect(pagesDrift(referencePages(project), PROJECT_ROOT)).toEqual([])
  })

  test('one page per API and an index linking each', () => {
    const pages = referencePages(project)
    expect([...pages.keys()].sort()).toEqual(['docs/apis/README.md', ...[...project.apis.keys()].map((a) => `docs/apis/${a}.md`)].sort())
    for (const api of project.apis.keys()) expect(pages.get('docs/apis/README.md')).toContain(`[${api}](${api}.md)`)
  })

  for (const api of ['inforouter', 'ecgridos', 'ecgridos-v41', 'ecgrid-rest', 'logicmelon']) {
    test(`${api}: the same accounts per role and placement, and the same fields, as conform init writes`, () => {
      const page = apiReferencePage(project, api)
      const init = initAccounts(project, api)
      expect(pageAccounts(page)).toEqual(init.counts)
      const fields = tableUnder(page, 'Fixture account fields').map(([f]) => unquote(f!))
      for (const listed of init.fields) expect(listed).toEqual(fields)
      // The index says the same.
      const row = apiReferenceIndex(project)
        .split('\n')
        .find((l) => l.startsWith(`| [${api}](${api}.md) |`))!
      for (const [group, n] of Object.entries(init.counts)) {
        const [role, placement] = group.split('@')
        expect(row).toContain(`${placement ? `${role} (placement: ${placement})` : role} ×${n}`)
      }
    })
  }

  test('what a spec needs shows where it is needed: placed accounts, writes, disposable accounts, expired sessions', () => {
    const ecgridos = apiReferencePage(project, 'ecgridos')
    const placements = tableUnder(ecgridos, 'Placements')
    expect(placements.map((r) => r[0])).toEqual(['`other-mailbox`', '`other-network`'])
    expect(placements[1]![3]).toBe('`networkId`')
    expect(placements[1]![4]).toContain('ecgridos.user-update.network-admin-cannot-update-other-network')
    const without = tableUnder(apiReferencePage(project, 'inforouter'), 'Without it, not verified')
    expect(without.find((r) => r[0]!.includes('referenceControl'))?.[3]).toContain('IE-7')
    const lm = apiReferencePage(project, 'logicmelon')
    expect(tableUnder(lm, 'Without it, not verified').find((r) => r[0]!.includes('disposable'))).toBeDefined()
    expect(lm).toMatch(/could change what a restore cannot put back: .*`password`/)
    // The reader's starting values on the reference say what the target's first reader must be able to do.
    expect(lm).toContain('the reference provisions it with `placement: top`')
  })
})

describe('the pages follow the project', () => {
  const SPEC = (id: string, users: string, caller = 'a') => `id: t.x.${id}
title: t
covers: [IE-4]
api: inforouter
given:
  users:
${users}
  caller: ${caller}
when:
  UpdateUserEmail: { UserName: "\${a.userName}", NewEmailAddress: "\${a.email}" }
then:
  unchanged: [a]
`

  test('a spec that holds three members at once: three member accounts, in the page and in conform init', () => {
    const p = loadProject({ specsDir: specDir({ 'three.yaml': SPEC('three', '    a: { role: member }\n    b: { role: member }\n    c: { role: member }') }) })
    // No spec here holds a sysadmin: the reader alone.
    expect(pageAccounts(apiReferencePage(p, 'inforouter'))).toEqual({ 'member@': 3, 'sysadmin@': 1 })
    expect(initAccounts(p, 'inforouter').counts).toEqual({ 'member@': 3, 'sysadmin@': 1 })
  })

  test('allowed: specs that need nothing special leave the "without it" table with writes alone', () => {
    const p = loadProject({ specsDir: specDir({ 'one.yaml': SPEC('one', '    a: { role: member }') }) })
    const rows = tableUnder(apiReferencePage(p, 'inforouter'), 'Without it, not verified')
    expect(rows.map((r) => r[0])).toEqual(['`allowWrites: true`'])
    expect(rows[0]![2]).toBe('IE-4')
  })

  test('an expired session and starting values only the reference gives are listed with the behaviours they leave out', () => {
    const p = loadProject({
      specsDir: specDir({
        'expired.yaml': SPEC('expired', '    a: { role: member }', '{ user: a, session: expired }'),
        'with.yaml': SPEC('with', '    a: { role: member, with: { email: "x@example.com" } }'),
      }),
    })
    const page = apiReferencePage(p, 'inforouter')
    const rows = tableUnder(page, 'Without it, not verified')
    expect(rows.map((r) => r[0])).toEqual([
      '`allowWrites: true`',
      '`referenceControl` (expired sessions)',
      'the embedded reference (starting values only it provisions)',
    ])
    // IE-4 is also covered by the other spec, so each lack leaves it verified in part.
    expect(rows[1]!.slice(2)).toEqual(['—', 'IE-4'])
    expect(tableUnder(page, 'What each spec needs').find((r) => r[0]!.includes('t.x.with'))![5]).toBe('users only the reference provisions (a)')
  })

  test('a page of an API that is gone, a missing page and a changed one are drift', () => {
    const root = mkdtempSync(join(tmpdir(), 'conform-docs-'))
    const pages = new Map([
      ['docs/apis/README.md', 'index\n'],
      ['docs/apis/a.md', 'a\n'],
    ])
    mkdirSync(join(root, 'docs/apis'), { recursive: true })
    writeFileSync(join(root, 'docs/apis/README.md'), 'index\n')
    writeFileSync(join(root, 'docs/apis/a.md'), 'a\n')
    expect(pagesDrift(pages, root)).toEqual([])
    writeFileSync(join(root, 'docs/apis/a.md'), 'a, edited by hand\n')
    writeFileSync(join(root, 'docs/apis/old.md'), 'gone\n')
    expect(pagesDrift(new Map([...pages, ['docs/apis/b.md', 'b\n']]), root)).toEqual([
      'docs/apis/a.md differs from what the generator makes',
      'docs/apis/b.md is missing',
      'docs/apis/old.md is not generated (an API that is gone?)',
    ])
  })
})

describe('markdown', () => {
  test('cells stay one line with their pipes escaped; code spans fence backticks', () => {
    expect(cell('a | b\nc')).toBe('a \\| b c')
    expect(code('x')).toBe('`x`')
    expect(code('a`b')).toBe('`` a`b ``')
    expect(table(['h'], [['a|b']])).toBe('| h |\n|---|\n| a\\|b |')
  })
})
