import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { describe, expect, test } from 'vitest'
import { loadConfig, requireEnv } from '../../src/config.ts'
import { SpecErrors } from '../../src/errors.ts'
import { PROJECT_ROOT } from '../../src/paths.ts'
import { loadProject } from '../../src/project.ts'
import { startTarget } from '../../src/run/resolve-target.ts'
import { conform } from '../helpers/cli.ts'
import { closedPort } from '../helpers/ports.ts'

/** A config file with one staging target whose inforouter baseUrl is `baseUrl` (written as given). */
function config(baseUrl: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'conform-config-errors-')), 'conform.config.yaml')
  writeFileSync(
    file,
    `defaultTarget: staging
targets:
  staging:
    limits: { concurrency: 1, timeoutMs: 2000, maxBodyBytes: 100000 }
    apis:
      inforouter:
        baseUrl: ${baseUrl}
        bindings: [soap11]
        fixtures:
          member: [{ userName: "\${env:CE_USER}", password: "\${env:CE_PASSWORD}" }]
`,
  )
  return file
}
const ENV = { CE_USER: 'member1', CE_PASSWORD: 'pw-member' }

const errorsOf = (fn: () => unknown): string[] => {
  try {
    fn()
  } catch (e) {
    if (e instanceof SpecErrors) return e.errors.map((x) => `${x.code}@${x.location?.line}:${x.location?.column}`)
    throw e
  }
  return []
}

describe('a config file named with --config must exist', () => {
  test.concurrent.for(['check', 'run', 'compare'])('conform %s --config nope.yaml: CONFIG_NOT_FOUND, exit 2, the resolved path named', async (command) => {
    const args = command === 'compare' ? ['compare', '--baseline', 'reference', '--candidate', 'reference'] : [command]
    const r = await conform([...args, '--config', 'nope.yaml', ...(command === 'check' ? [] : ['--out', mkdtempSync(join(tmpdir(), 'conform-ce-out-'))])])
    expect(r.code, r.stderr).toBe(2)
    expect(r.stderr).toContain(`CONFIG_NOT_FOUND config file ${resolve(PROJECT_ROOT, 'nope.yaml')} does not exist`)
    expect(r.stdout).not.toMatch(/^ok:/m)
  })

  test('without --config, a missing default config is the built-in reference alone', () => {
    const absent = join(mkdtempSync(join(tmpdir(), 'conform-ce-')), 'conform.config.yaml')
    expect(loadConfig(absent).targets).toEqual({ reference: expect.objectContaining({ reference: true }) })
    expect(errorsOf(() => loadConfig(absent, PROJECT_ROOT, { explicit: true }))).toEqual(['CONFIG_NOT_FOUND@undefined:undefined'])
  })
})

describe('credentials never travel in a baseUrl', () => {
  test('user:password@ written in the baseUrl: LITERAL_SECRET at the baseUrl, exit 2, the password not printed', async () => {
    const file = config('http://jane:hunter2@127.0.0.1:9')
    expect(errorsOf(() => loadProject({ configFile: file }))).toEqual(['LITERAL_SECRET@7:18'])
    const r = await conform(['check', '--config', file])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`${relative(PROJECT_ROOT, file)}:7:18 LITERAL_SECRET`)
    expect(r.stdout + r.stderr).not.toContain('hunter2')
  })

  test('a user name alone, or credentials around a reference, are refused too', () => {
    expect(errorsOf(() => loadProject({ configFile: config('http://jane@127.0.0.1:9') }))).toEqual(['LITERAL_SECRET@7:18'])
    expect(errorsOf(() => loadProject({ configFile: config('"https://jane:${env:CE_PASSWORD}@host.example"') }))).toEqual(['LITERAL_SECRET@7:18'])
  })

  test('a baseUrl that resolves to one with credentials: LITERAL_SECRET before anything is sent, the value not printed', async () => {
    const file = config('"${env:CE_URL}"')
    expect(errorsOf(() => loadProject({ configFile: file }))).toEqual([])
    const r = await conform(['run', '--config', file, '--out', mkdtempSync(join(tmpdir(), 'conform-ce-out-'))], {
      ...ENV,
      CE_URL: 'http://jane:s3cr3t-in-url@127.0.0.1:9',
    })
    expect(r.code, r.stderr).toBe(2)
    expect(r.stderr).toContain(`${relative(PROJECT_ROOT, file)}:7:18 LITERAL_SECRET`)
    expect(r.stdout + r.stderr).not.toContain('s3cr3t-in-url')
  })
})

describe('a baseUrl from the environment', () => {
  const project = (baseUrl: string) => loadProject({ configFile: config(baseUrl) })

  test.for(['"${env:CE_URL}"', '"http://${env:CE_HOST}:${env:CE_PORT}/v${env:CE_VERSION}"', '"https://api-${env:CE_STAGE}.example.com"'])(
    '%s is accepted by check',
    (baseUrl) => {
      expect(() => project(baseUrl)).not.toThrow()
    },
  )

  test('an unset variable is ENV_MISSING at the baseUrl; one that is not a URL is BAD_VALUE there', () => {
    const p = project('"http://${env:CE_HOST}/x"')
    expect(errorsOf(() => requireEnv(p.config, 'staging', ENV))).toEqual(['ENV_MISSING@7:18'])
    expect(errorsOf(() => requireEnv(p.config, 'staging', { ...ENV, CE_HOST: 'bad host' }))).toEqual(['BAD_VALUE@7:18'])
    expect(errorsOf(() => requireEnv(p.config, 'staging', { ...ENV, CE_HOST: 'h.example' }))).toEqual([])
  })

  test('is resolved for the checks (the target the workers get)', async () => {
    const p = project('"http://${env:CE_HOST}:${env:CE_PORT}/base"')
    process.env.CE_HOST = '127.0.0.1'
    process.env.CE_PORT = '8123'
    try {
      const started = await startTarget(p, 'staging')
      expect(started.target.apis.inforouter?.baseUrl).toBe('http://127.0.0.1:8123/base')
    } finally {
      delete process.env.CE_HOST
      delete process.env.CE_PORT
    }
    await expect(startTarget(p, 'staging')).rejects.toThrow(/CE_HOST is not set/)
  })

  test('is resolved for the preflight: an unreachable resolved URL is exit 3, naming it', async () => {
    const port = await closedPort()
    const r = await conform(['run', '--config', config('"${env:CE_URL}"'), '--out', mkdtempSync(join(tmpdir(), 'conform-ce-out-'))], {
      ...ENV,
      CE_URL: `http://127.0.0.1:${port}`,
    })
    expect(r.code, r.stderr).toBe(3)
    expect(r.stderr).toContain(`inforouter at http://127.0.0.1:${port}`)
  })
})
