import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { exitFor } from '../../src/cli/exit.ts'
import type { CheckResult } from '../../src/engine/result.ts'
import { loadProject } from '../../src/project.ts'
import { buildConformance, type ConformanceReport } from '../../src/report/conformance.ts'
import { renderConsoleSummary } from '../../src/report/console.ts'
import { renderMatrixMarkdown } from '../../src/report/matrix-md.ts'
import { REPORT_FILES } from '../../src/report/write-reports.ts'
import { conform } from '../helpers/cli.ts'
import { spawnConform, type Staging, useStaging } from '../helpers/staging.ts'

/**
 * The exit code is what a pipeline acts on: a setup problem is never a verdict (3), nothing is green on nothing (4),
 * the suite's own failure is never a verdict (70). Each path end to end, against a staging-like target on loopback.
 */

let s!: Staging
useStaging((started) => {
  s = started
})

/** A config for one API of the staging target, with the given base URL and fixtures (JSON is YAML). */
function config(opts: { allowWrites: boolean; api: string; baseUrl?: string; fixtures?: Record<string, Array<Record<string, string>>> }): string {
  const file = join(mkdtempSync(join(s.dir, 'verdicts-')), 'conform.config.yaml')
  writeFileSync(
    file,
    JSON.stringify({
      defaultTarget: 'staging',
      targets: {
        staging: {
          allowWrites: opts.allowWrites,
          limits: { concurrency: 4, timeoutMs: 10000, maxBodyBytes: 2000000 },
          apis: { [opts.api]: { baseUrl: opts.baseUrl ?? s.url, fixtures: opts.fixtures ?? s.accounts[opts.api] } },
        },
      },
    }),
  )
  return file
}

function passedCheck(): CheckResult {
  return {
    id: '',
    spec: 'specs/ecgrid-rest/x.yaml',
    line: 1,
    title: 't',
    api: 'ecgrid-rest',
    operation: 'UpdateUser',
    binding: 'rest-json',
    covers: ['ER-1'],
    level: 'MUST',
    status: 'passed',
    category: null,
    message: null,
    failures: [],
    durationMs: 1,
    requests: 1,
    exchanges: [],
    steps: [],
  }
}

const report = (out: string) => JSON.parse(readFileSync(join(out, 'conformance.json'), 'utf8')) as ConformanceReport

describe('exit 3: the target cannot be used, whatever allowWrites says', () => {
  test('fixture accounts that do not exist, writes not allowed: exit 3 before any check, each account named', async () => {
    const env = { ...s.env, GHOST_PASSWORD: 'Pw-ghost-1' }
    const fixtures = {
      member: [{ userName: 'ghost-member', password: '${env:GHOST_PASSWORD}' }],
      sysadmin: [{ userName: 'ghost-admin', password: '${env:GHOST_PASSWORD}' }],
    }
    const r = await conform(['run', '--config', config({ allowWrites: false, api: 'inforouter', fixtures }), '--out', join(s.dir, 'ghosts')], env)
    expect(r.code, r.stdout + r.stderr).toBe(3)
    expect(r.stderr).toContain('TARGET_ACCOUNTS')
    expect(r.stderr).toContain('inforouter sysadmin account 1 (ghost-admin; targets.staging.apis.inforouter.fixtures.sysadmin[0])')
    expect(r.stderr).toContain('inforouter member account 1 (ghost-member; targets.staging.apis.inforouter.fixtures.member[0])')
    expect(r.stderr).toContain('check the variables: GHOST_PASSWORD')
    expect(r.stdout).not.toContain('verdict:')
    expect(r.stdout + r.stderr).not.toContain('Pw-ghost-1')
  })

  test('a wrong password: exit 3 naming the API, role, account and the variable to fix, never the password', async () => {
    const member = s.accounts.inforouter!.member![1]!
    const variable = /\$\{env:(\w+)\}/.exec(member.password!)![1]!
    const r = await conform(['run', '--config', config({ allowWrites: true, api: 'inforouter' }), '--out', join(s.dir, 'wrong-password')], {
      ...s.env,
      [variable]: 'Wrong-Password-42',
    })
    expect(r.code, r.stdout + r.stderr).toBe(3)
    expect(r.stderr).toContain(`inforouter member account 2 (${member.userName}; targets.staging.apis.inforouter.fixtures.member[1])`)
    expect(r.stderr).toContain(`check the variables: ${variable}`)
    expect(r.stderr).toMatch(/1 of \d+ fixture account\(s\) failed the preflight/)
    expect(r.stdout).not.toMatch(/FAIL /)
    expect(r.stdout + r.stderr).not.toContain('Wrong-Password-42')
  })

  test('a wrong base path: exit 3 with the HTTP status and the URL that answered it', async () => {
    const r = await conform(
      ['run', '--config', config({ allowWrites: true, api: 'inforouter', baseUrl: `${s.url}/no-such-path` }), '--out', join(s.dir, 'wrong-path')],
      s.env,
    )
    expect(r.code, r.stdout + r.stderr).toBe(3)
    expect(r.stderr).toMatch(new RegExp(`HTTP 404 [^\\n]* from (GET|POST) ${s.url.replace(/[.]/g, '\\.')}/no-such-path/srv\\.asmx`))
  })
})

describe('exit 3: an account without the role or placement its checks need', () => {
  test('an account listed under a role it does not have: exit 3 naming it and its role on the target', async () => {
    const fixtures = { ...s.accounts.ecgridos!, MailboxAdmin: [s.accounts.ecgridos!.MailboxUser![0]!] }
    const r = await conform(
      ['run', '--config', config({ allowWrites: true, api: 'ecgridos', fixtures }), '--out', join(s.dir, 'wrong-role'), '--binding', 'soap11'],
      s.env,
    )
    expect(r.code, r.stdout + r.stderr).toBe(3)
    expect(r.stderr).toMatch(
      /ecgridos MailboxAdmin account 1 \(\w+; targets\.staging\.apis\.ecgridos\.fixtures\.MailboxAdmin\[0\]\): WRONG_ROLE|the target has it as MailboxUser \(authLevel\), not MailboxAdmin/,
    )
  })

  test('an account marked placement: other-network that sits in the home network: exit 3; the right one passes', async () => {
    const home = s.accounts.ecgridos!.MailboxUser!
    const wrong = { ...s.accounts.ecgridos!, MailboxUser: [...home, { ...home[2]!, placement: 'other-network' }].filter((_a, i) => i !== 2) }
    const r = await conform(['check', '--config', config({ allowWrites: true, api: 'ecgridos', fixtures: wrong }), '--target', 'staging', '--online'], s.env)
    expect(r.code, r.stdout + r.stderr).toBe(3)
    expect(r.stderr).toMatch(/marked placement: other-network, but networkId \d+ is the home accounts' too/)
    const right = { ...s.accounts.ecgridos!, MailboxUser: [...home, ...s.placed.ecgridos!.MailboxUser!] }
    const ok = await conform(['check', '--config', config({ allowWrites: true, api: 'ecgridos', fixtures: right }), '--target', 'staging', '--online'], s.env)
    expect(ok.code, ok.stdout + ok.stderr).toBe(0)
  })
})

describe('exit 4: nothing failed, but not everything selected was verified', () => {
  test('writes not allowed: every write cell is not verified, and the run says incomplete', async () => {
    const out = join(s.dir, 'read-only')
    const r = await conform(['run', '--config', config({ allowWrites: false, api: 'ecgrid-rest' }), '--out', out], s.env)
    expect(r.code, r.stdout + r.stderr).toBe(4)
    const rep = report(out)
    expect(rep.summary.verdict).toBe('incomplete')
    expect(rep.summary.failed).toBe(0)
    const writesOff = 'the target does not allow writes (allowWrites is not true)'
    expect(rep.coverage.notVerified.length).toBeGreaterThan(5)
    expect(rep.coverage.notVerified.every((u) => u.reason === writesOff)).toBe(true)
    // A cell is verified only by a check that executed: every passed cell has one, every other cell says why not.
    const ran = rep.checks.filter((c) => c.status !== 'skipped')
    for (const row of rep.behaviours.filter((b) => !b.id.startsWith('X-'))) {
      for (const [binding, cell] of Object.entries(row.bindings)) {
        if (cell === 'passed') expect(ran.some((c) => c.covers.includes(row.id) && c.binding === binding)).toBe(true)
        else expect(row.reasons?.[binding as 'rest-json']).toBe(writesOff)
      }
    }
    expect(readFileSync(join(out, 'matrix.md'), 'utf8')).toContain('INCOMPLETE')
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain('<skipped message="the target does not allow writes (allowWrites is not true)"/>')
  })

  test('specs whose users need a placement the config does not provide: those cells are partly verified, exit 4', async () => {
    const out = join(s.dir, 'placements')
    const r = await conform(['run', '--config', config({ allowWrites: true, api: 'ecgridos' }), '--out', out, '--binding', 'soap11'], s.env)
    expect(r.code, r.stdout + r.stderr).toBe(4)
    const rep = report(out)
    expect(rep.summary.failed).toBe(0)
    // EO-8 is verified by the specs the target can run, not by those that need other networks or mailboxes: the cell
    // shows what ran, and says it is partial; the run is not complete.
    const eo8 = rep.behaviours.find((b) => b.id === 'EO-8')!
    expect(eo8.bindings.soap11).toBe('passed')
    expect(eo8.reasons?.soap11).toMatch(/^\d+ of \d+ checks ran; not run: the target lists no MailboxUser account with placement: other-(mailbox|network)/)
    expect(rep.coverage.partial.some((u) => u.id === 'EO-8')).toBe(true)
    expect(rep.summary.partialMust).toBeGreaterThan(0)
    expect(r.stdout).not.toContain('every behaviour is verified')
    expect(r.stdout).toMatch(/partly verified: .*EO-8@soap11 \(\d+ of \d+ checks ran; not run: the target lists no MailboxUser account with placement/)
  })

  test('the same run restricted with --covers to what the target can verify is complete: exit 0', async () => {
    const out = join(s.dir, 'subset')
    const r = await conform(['run', '--config', config({ allowWrites: true, api: 'inforouter' }), '--out', out, '--covers', 'IE-4'], s.env)
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(report(out).summary.verdict).toBe('conformant')
    expect(r.stdout).toContain('every selected behaviour is verified on every binding it applies to')
  })
})

describe("exit 2 and 70: bad usage, and the suite's own failure, are never verdicts", () => {
  test('a --config file that does not exist: CONFIG_NOT_FOUND, exit 2, nothing run', async () => {
    const r = await conform(['run', '--config', join(s.dir, 'nope.yaml'), '--out', join(s.dir, 'nope')])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('CONFIG_NOT_FOUND')
    expect(r.stdout).not.toContain('verdict:')
  })

  test('a run that dies midway (killed, out of memory) leaves no report that could be read as its verdict', async () => {
    const out = join(s.dir, 'died')
    // An earlier run into the same folder, conformant.
    const first = await conform(['run', '--api', 'ecgrid-rest', '--out', out])
    expect(first.code, first.stdout + first.stderr).toBe(0)
    expect(readFileSync(join(out, 'conformance.json'), 'utf8')).toContain('"conformant": true')
    const dying = spawnConform(['run', '--api', 'inforouter', '--out', out], {})
    await new Promise<void>((ok) => {
      const poll = setInterval(() => {
        if (/\[\s*1\/\d+\]/.test(dying.output())) {
          clearInterval(poll)
          ok()
        }
      }, 20)
    })
    process.kill(-dying.child.pid!, 'SIGKILL')
    const r = await dying.done
    expect(r.signal).toBe('SIGKILL')
    for (const f of REPORT_FILES) expect(existsSync(join(out, f)), f).toBe(false)
  })

  test('an exception inside the engine: exit 70, NO VERDICT in every report, each says why', async () => {
    const checks = [{ ...passedCheck(), id: 'x.y.z@rest-json' }]
    const rep = buildConformance(checks, loadProject().catalogue, {
      tool: { name: 't', version: '0' },
      target: 'staging',
      seed: 1,
      startedAt: new Date(0).toISOString(),
      durationMs: 1,
      deviations: [],
      apis: ['ecgrid-rest'],
      bindingsOffered: {},
      suiteErrors: ['x.y.z@rest-json: the suite failed inside this check: boom'],
    })
    expect(rep.summary.verdict).toBe('suite error')
    expect(rep.summary.conformant).toBe(false)
    expect(exitFor(rep, 0)).toBe(70)
    expect(renderMatrixMarkdown(rep)).toContain('NO VERDICT')
    expect(renderConsoleSummary(rep, 'reports')).toContain('verdict: NO VERDICT: the suite itself failed')
  })
})
