import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { request } from 'undici'
import { CONTROL_HEADER, startReference, type RunningReference } from '../../reference/index.ts'
import { PROJECT_ROOT } from '../../src/paths.ts'
import { afterAll, beforeAll } from 'vitest'
import type { CliResult } from './cli.ts'

/**
 * A staging-like target for the project's tests: the reference started here on a FILE database, reached through a
 * proxy that counts, delays, holds or throttles requests, with fixture accounts on every API whose credentials live
 * in environment variables. The suite sees a configured (non-reference) target, exactly as it would see staging.
 */

export type Accounts = Record<string, Record<string, Array<Record<string, string>>>>

/** What the proxy saw of one request, once the reference answered it. */
export interface Seen {
  n: number
  operation: string
  write: boolean
  status: number
  /** The request's URL and body as text, percent-decoded and XML-unescaped: what it sent, to tell whose write it was. */
  sent: string
}

function asSent(url: string, body: string): string {
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '))
    } catch {
      return s
    }
  }
  const xml = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&')
  return `${decode(url)}\n${xml(decode(body))}`
}

/** The operations that change a user (api.yaml `writes: true`); REST updates are PUTs. */
const WRITE_OPERATIONS = new Set(['UpdateUserEmail', 'UpdateUserContactInfo', 'UserUpdate', 'UserAdd', 'UserDelete', 'UpdateUser'])

/** The operation a wire request calls: SOAPAction (1.1), the action parameter (1.2), the path (GET/POST), or REST. */
export function operationOf(req: IncomingMessage, body: string): string {
  const action = (req.headers.soapaction as string | undefined) ?? /action="([^"]+)"/.exec(req.headers['content-type'] ?? '')?.[1]
  if (action) return action.replace(/"/g, '').split('/').pop() ?? ''
  const path = new URL(req.url ?? '/', 'http://x').pathname
  if (path.startsWith('/v2/')) return req.method === 'PUT' ? 'UpdateUser' : `${req.method} ${path}`
  const asmx = /\.asmx\/(\w+)$/.exec(path)?.[1]
  if (asmx) return asmx
  return /<(?:\w+:)?Body>\s*<(?:\w+:)?(\w+)/.exec(body)?.[1] ?? path
}

/** Called when a matching request has been answered by the reference, before the answer is relayed. */
export type Hold = (seen: Seen) => Promise<void> | void

export class Staging {
  readonly dir = mkdtempSync(join(tmpdir(), 'conform-staging-'))
  readonly dbFile = join(this.dir, 'reference.sqlite')
  ref!: RunningReference
  url = ''
  readonly env: Record<string, string> = {}
  readonly secrets: string[] = []
  accounts: Accounts = {}
  /** Every request the proxy relayed, in the order the reference answered them. */
  readonly seen: Seen[] = []
  inFlight = 0
  maxInFlight = 0
  /** TCP connections clients opened to the proxy. */
  connections = 0
  /** Start times (ms, performance.now) of every request reaching the proxy. */
  readonly starts: number[] = []
  /** Delay before each request is forwarded (a slow target). */
  delayMs = 0
  /** Called after the reference answered each request; the answer waits for it. */
  onAnswered: Hold | undefined
  /** Answers the next requests matching `match` with `status` + Retry-After instead of forwarding them. */
  throttle: { match: (operation: string) => boolean; status: number; retryAfter: string; times: number } | undefined
  /** Writes are answered as if done, but never reach the reference (a target that silently drops updates). */
  dropWrites = false
  private proxy!: Server
  private readonly pending = new Set<ServerResponse>()

  /** `deviations`: the reference misbehaves so; `copies`: each role's fixture accounts made that many times over. */
  async start(opts: { deviations?: string[]; copies?: number } = {}): Promise<this> {
    this.ref = await startReference({ dbFile: this.dbFile, ...(opts.deviations ? { deviations: opts.deviations } : {}) })
    this.proxy = createServer((req, res) => void this.relay(req, res))
    // Idle connections stay open (the default 5 s could close one a slow machine left idle): `connections` counts the
    // ones a client opened, not the ones the proxy closed under it.
    this.proxy.keepAliveTimeout = 120_000
    this.proxy.on('connection', () => {
      this.connections++
    })
    await new Promise<void>((r) => this.proxy.listen(0, '127.0.0.1', r))
    this.url = `http://127.0.0.1:${(this.proxy.address() as AddressInfo).port}`
    this.accounts = await this.makeFixtures(opts.copies ?? 1)
    return this
  }

  private async relay(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.starts.push(performance.now())
    this.inFlight++
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight)
    this.pending.add(res)
    res.on('close', () => {
      this.inFlight--
      this.pending.delete(res)
    })
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const body = Buffer.concat(chunks)
    const operation = operationOf(req, body.toString('utf8'))
    const write = WRITE_OPERATIONS.has(operation)
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs))
    const t = this.throttle
    if (t && t.times > 0 && t.match(operation)) {
      t.times--
      res.writeHead(t.status, { 'retry-after': t.retryAfter, 'content-type': 'text/plain' })
      res.end('slow down')
      return
    }
    if (write && this.dropWrites) {
      // Read the user back instead: a plausible-looking answer that changed nothing.
      res.writeHead(500, { 'content-type': 'text/plain' })
      res.end('dropped')
      return
    }
    try {
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k)))
      const r = await request(`${this.ref.url}${req.url ?? '/'}`, { method: req.method as 'GET', headers, body: body.length ? body : null })
      const answer = await r.body.arrayBuffer()
      const seen: Seen = { n: this.seen.length + 1, operation, write, status: r.statusCode, sent: asSent(req.url ?? '/', body.toString('utf8')) }
      this.seen.push(seen)
      await this.onAnswered?.(seen)
      if (res.destroyed) return
      res.writeHead(
        r.statusCode,
        Object.fromEntries(Object.entries(r.headers).filter(([k]) => !['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(k))),
      )
      res.end(Buffer.from(answer))
    } catch (e) {
      if (!res.headersSent) res.writeHead(502)
      res.end(String(e))
    }
  }

  get writes(): Seen[] {
    return this.seen.filter((s) => s.write)
  }

  private async provision(api: string, body: Record<string, string>): Promise<Record<string, string>> {
    const r = await request(`${this.ref.url}/__reference/${api}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [CONTROL_HEADER]: this.ref.controlKey },
      body: JSON.stringify(body),
    })
    const text = await r.body.text()
    if (r.statusCode !== 201) throw new Error(`provisioning ${api}: ${r.statusCode} ${text}`)
    return JSON.parse(text) as Record<string, string>
  }

  private secret(value: string): string {
    const name = `STAGING_SECRET_${this.secrets.length + 1}`
    this.env[name] = value
    this.secrets.push(value)
    return `\${env:${name}}`
  }

  /** Fixture accounts on every API, as many per role as the specs need at once. */
  private async makeFixtures(copies: number): Promise<Accounts> {
    const random = () => Math.random().toString(36).slice(2, 10)
    const accounts: Accounts = { inforouter: {}, ecgridos: {}, 'ecgrid-rest': {}, logicmelon: {} }
    const group = `g${random()}`
    for (const role of times(copies, ['member', 'member', 'member', 'sysadmin'])) {
      const userName = `ir${random()}`
      const password = `Pw-${random()}-${random()}`
      await this.provision('inforouter', {
        userName,
        password,
        role,
        email: `${userName}@example.com`,
        mobileNumber: '15550001111',
        firstName: 'Fix',
        lastName: 'Ture',
      })
      ;(accounts.inforouter![role] ??= []).push({ userName, password: this.secret(password) })
    }
    for (const role of times(copies, ['Root', 'TechOps', 'NetworkAdmin', 'MailboxAdmin', 'MailboxUser', 'MailboxUser', 'MailboxUser'])) {
      const login = `ec${random()}`
      const password = `Pw-${random()}-${random()}`
      const made = await this.provision('ecgridos', { login, password, role, group, firstName: 'Fix', lastName: 'Ture', email: `${login}@example.com` })
      const account = { login, password: this.secret(password), userId: made.userId!, apiKey: this.secret(made.apiKey!) }
      ;(accounts.ecgridos![role] ??= []).push(account)
      ;(accounts['ecgrid-rest']![role] ??= []).push(account)
    }
    for (const [role, placement] of times(copies, [
      ['Administrator', 'top'],
      ['Administrator', 'top'],
      ['Recruiter', 'same'],
      ['Recruiter', 'same'],
    ] as const)) {
      const username = `lm${random()}`
      const password = `Pw-${random()}-${random()}`
      const made = await this.provision('logicmelon', {
        username,
        password,
        role,
        group,
        placement,
        firstName: 'Fix',
        position: 'Tester',
        phone: '0123 456',
        userAddress1: '1 High Street',
      })
      ;(accounts.logicmelon![role] ??= []).push({ username, password: this.secret(password), userId: made.userId!, apiKey: this.secret(made.apiKey!) })
    }
    // Accounts placed elsewhere than the home group, for the specs whose users ask a placement (config `placement:`).
    for (const [role, placement] of [
      ['MailboxUser', 'other-mailbox'],
      ['MailboxUser', 'other-network'],
    ] as const) {
      const login = `ec${random()}`
      const password = `Pw-${random()}-${random()}`
      const made = await this.provision('ecgridos', {
        login,
        password,
        role,
        group,
        placement,
        firstName: 'Fix',
        lastName: 'Ture',
        email: `${login}@example.com`,
      })
      const account = { login, password: this.secret(password), userId: made.userId!, apiKey: this.secret(made.apiKey!), placement }
      ;(this.placed.ecgridos![role] ??= []).push(account)
      ;(this.placed['ecgrid-rest']![role] ??= []).push(account)
    }
    {
      const username = `lm${random()}`
      const password = `Pw-${random()}-${random()}`
      const made = await this.provision('logicmelon', {
        username,
        password,
        role: 'Recruiter',
        group,
        placement: 'other-organisation',
        firstName: 'Fix',
        position: 'Tester',
        phone: '0123 456',
        userAddress1: '1 High Street',
      })
      ;(this.placed.logicmelon!.Recruiter ??= []).push({
        username,
        password: this.secret(password),
        userId: made.userId!,
        apiKey: this.secret(made.apiKey!),
        placement: 'other-organisation',
      })
    }
    return accounts
  }

  private controlKeyName: string | undefined

  /** The reference's control key, as the `${env:…}` reference a config holds (the value among `env`). */
  private controlKeyRef(): string {
    this.controlKeyName ??= /\$\{env:(\w+)\}/.exec(this.secret(this.ref.controlKey))![1]!
    return `\${env:${this.controlKeyName}}`
  }

  /** Fixture accounts placed in another mailbox, network or organisation; in a config only when asked (`placed`). */
  readonly placed: Accounts = { ecgridos: {}, 'ecgrid-rest': {}, logicmelon: {} }

  /**
   * A config file naming this target `staging`; JSON is YAML. `disposable`: `api:role` whose accounts are so marked;
   * `placed`: the accounts placed elsewhere are listed too.
   */
  /**
   * `control` (default true): the config names the reference's control endpoint (`referenceControl`, as
   * `conform serve --write-config` writes it), so checks that need a session expired on demand run; false: a staging
   * system as a vendor's is, which cannot expire one, so those checks are not verified.
   */
  config(opts: { allowWrites: boolean; limits?: Record<string, number>; apis?: string[]; disposable?: string[]; placed?: boolean; control?: boolean }): string {
    const file = join(mkdtempSync(join(this.dir, 'config-')), 'conform.config.yaml')
    const withPlaced = (api: string, fixtures: Record<string, Array<Record<string, string>>>) => {
      if (!opts.placed) return fixtures
      const out = { ...fixtures }
      for (const [role, list] of Object.entries(this.placed[api] ?? {})) out[role] = [...(out[role] ?? []), ...list]
      return out
    }
    const apis = Object.entries(this.accounts)
      .filter(([api]) => !opts.apis || opts.apis.includes(api))
      .map(([api, f]) => [api, withPlaced(api, f)] as const)
    writeFileSync(
      file,
      JSON.stringify({
        defaultTarget: 'staging',
        targets: {
          staging: {
            allowWrites: opts.allowWrites,
            limits: { concurrency: 4, timeoutMs: 10000, maxBodyBytes: 2000000, ...opts.limits },
            ...(opts.control === false ? {} : { referenceControl: { url: this.ref.url, key: this.controlKeyRef() } }),
            apis: Object.fromEntries(
              apis.map(([api, fixtures]) => [
                api,
                {
                  baseUrl: this.url,
                  fixtures: Object.fromEntries(
                    Object.entries(fixtures).map(([role, list]) => [
                      role,
                      opts.disposable?.includes(`${api}:${role}`) ? list.map((a) => ({ ...a, disposable: true })) : list,
                    ]),
                  ),
                },
              ]),
            ),
          },
        },
      }),
    )
    return file
  }

  /**
   * Every user row of every API, read straight from the database file. ir_users.last_logon_at is left out: logging
   * in is not a change a check makes to the user (every check logs in).
   */
  users(): Record<string, Array<Record<string, unknown>>> {
    const db = new DatabaseSync(this.dbFile, { readOnly: true })
    try {
      const rows = (sql: string) =>
        db
          .prepare(sql)
          .all()
          .map((r) => ({ ...r }))
      return {
        inforouter: rows('SELECT * FROM ir_users ORDER BY user_id').map(({ last_logon_at: _l, ...rest }) => rest),
        ecgrid: rows('SELECT * FROM ec_users ORDER BY user_id'),
        logicmelon: rows('SELECT * FROM lm_users ORDER BY UserID'),
      }
    } finally {
      db.close()
    }
  }

  async close(): Promise<void> {
    for (const res of this.pending) res.destroy()
    this.proxy.closeAllConnections()
    await new Promise<void>((r) => this.proxy.close(() => r()))
    await this.ref.close()
  }
}

/** A list repeated `n` times over. */
function times<T>(n: number, list: readonly T[]): T[] {
  return Array.from({ length: n }, () => list).flat()
}

/** A running `conform` process in its own process group (so a test can signal the group, as a terminal's Ctrl-C does). */
export interface Spawned {
  child: ChildProcess
  done: Promise<CliResult & { signal: NodeJS.Signals | null }>
  output(): string
}

export function spawnConform(args: string[], env: Record<string, string>): Spawned {
  const child = spawn(process.execPath, [resolve(PROJECT_ROOT, 'bin/conform.mjs'), ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    detached: true,
  })
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString()
  })
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString()
  })
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((ok, fail) => {
    child.on('error', fail)
    child.on('close', (code, signal) => ok({ code, signal, stdout, stderr }))
  })
  return { child, done, output: () => stdout + stderr }
}

/**
 * One Staging for the test file that calls this at its top level: started before its tests (with `env`, its fixture
 * variables put in process.env), closed after them; `set` receives it.
 */
export function useStaging(set: (s: Staging) => void, opts: { env?: boolean } = {}): void {
  let started: Staging | undefined
  beforeAll(async () => {
    started = await new Staging().start()
    if (opts.env) Object.assign(process.env, started.env)
    set(started)
  })
  afterAll(() => started?.close())
}
