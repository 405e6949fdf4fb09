import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { CONTROL_HEADER, embeddedApiNames, ORIGIN_HEADER, startReference, type ListedUser, type RunningReference } from '../../reference/index.ts'
import { createOriginBook } from '../../reference/control/origins.ts'
import { openDatabase } from '../../reference/db.ts'
import { ReferenceUsers } from '../../src/engine/fixtures.ts'
import { loadProject, type Project } from '../../src/project.ts'
import { seedAccounts, type SeededAccount } from '../../src/run/seed-accounts.ts'
import { LmClient, credentials } from './logicmelon-helpers.ts'
import { RefClient, uniqueName } from './helpers.ts'

/**
 * `GET /__reference/<api>/users`: the users of an API's store, for whoever holds the control key. Each with its login,
 * id, role, placement and origin (seeded fixture account, a run's provisioned user, or made by the API itself); never
 * a password or an API key.
 */

interface Listing {
  api: string
  users: ListedUser[]
}

const KEY = 'c'.repeat(32)
let ref: RunningReference
let project: Project
let seeded: SeededAccount[]

/** `key` null sends no control header. */
async function list(api: string, key: string | null = ref.controlKey): Promise<{ status: number; text: string }> {
  const answer = await fetch(`${ref.url}/__reference/${api}/users`, { headers: key === null ? {} : { [CONTROL_HEADER]: key } })
  return { status: answer.status, text: await answer.text() }
}

async function listing(api: string): Promise<Listing> {
  const { status, text } = await list(api)
  expect(status, text).toBe(200)
  return JSON.parse(text) as Listing
}

beforeAll(async () => {
  ref = await startReference({ controlKey: KEY })
  project = loadProject()
  // The fixture accounts `conform serve --write-config` makes, on every embedded API.
  seeded = await seedAccounts(project, embeddedApiNames(), { url: ref.url, key: ref.controlKey }, 11)
}, 60_000)
afterAll(async () => {
  await ref.close()
})

describe('GET /__reference/<api>/users', () => {
  test('needs the control key: missing, wrong, one character short or empty → 403 and nothing listed', async () => {
    for (const api of embeddedApiNames()) {
      for (const key of [null, 'wrong', KEY.slice(1), '']) {
        const answer = await list(api, key)
        expect(answer.status, `${api} with ${String(key)}`).toBe(403)
        expect(JSON.parse(answer.text)).toEqual({ error: 'forbidden' })
      }
    }
  })

  test("lists every seeded account of each API with its role, placement and origin 'seeded'", async () => {
    expect(seeded.length).toBeGreaterThan(20)
    for (const api of embeddedApiNames()) {
      const { users, api: named } = await listing(api)
      expect(named).toBe(api)
      const keyField = project.apis.get(api)!.user.key
      const mine = seeded.filter((a) => a.api === api)
      expect(mine.length, api).toBeGreaterThan(0)
      for (const account of mine) {
        const login = account.values[keyField]!
        const listed = users.find((u) => u.login.toLowerCase() === login.toLowerCase())
        expect(listed, `${api}: ${login}`).toBeDefined()
        expect(listed!.origin).toBe('seeded')
        expect(listed!.role).toBe(account.role)
        expect(listed!.id).toMatch(/^\d+$/)
        for (const user of users) expect(Object.keys(user).sort()).toEqual(['id', 'login', 'origin', 'placement', 'role'])
      }
    }
  })

  test('no password or API key of any seeded account appears in any listing', async () => {
    const secrets = new Set<string>()
    for (const account of seeded) {
      for (const field of project.apis.get(account.api)!.user.secrets) {
        const value = account.values[field]
        if (value !== undefined && value !== '') secrets.add(value)
      }
    }
    // Passwords and API keys at least: every API has a password, and ECGrid REST and LogicMelon an API key.
    expect(secrets.size).toBeGreaterThan(seeded.length)
    for (const api of embeddedApiNames()) {
      const { text } = await list(api)
      for (const secret of secrets) expect(text.includes(secret), `${api}'s listing holds a secret`).toBe(false)
    }
  })

  test('placements: the ECGrid faces show network and mailbox, LogicMelon the organisation; the other-network accounts sit apart', async () => {
    const ecgrid = await listing('ecgridos')
    for (const u of ecgrid.users) expect(Object.keys(u.placement).sort()).toEqual(['mailboxId', 'networkId'])
    const homes = new Set(ecgrid.users.map((u) => u.placement.networkId))
    expect(homes.size).toBeGreaterThan(1)
    for (const u of (await listing('logicmelon')).users) expect(u.placement.organisationIdentifier).toMatch(/^org-/)
    for (const u of (await listing('inforouter')).users) expect(u.placement).toEqual({})
  })

  test('faces of one store list the same users (ECGridOS, its live profile, ECGrid REST)', async () => {
    const [eo, er, el] = await Promise.all(['ecgridos', 'ecgrid-rest', 'ecgridos-v41'].map(listing))
    expect(er!.users).toEqual(eo!.users)
    expect(el!.users).toEqual(eo!.users)
  })

  test("a run's users are 'provisioned' and leave the listing when the run removes them; a user the API made itself is 'api'", async () => {
    const api = project.apis.get('inforouter')!
    const run = new ReferenceUsers(api, { url: ref.url, key: ref.controlKey }, 10_000)
    const [user] = await run.acquire([{ role: 'member' }], 5)
    const login = user!.attrs[api.user.key]!
    const find = async () => (await listing('inforouter')).users.find((u) => u.login === login)
    expect((await find())?.origin).toBe('provisioned')
    await run.release([user!])
    await run.close()
    expect(await find()).toBeUndefined()

    const lm = new LmClient(new RefClient(ref))
    const admin = await lm.provision()
    const username = uniqueName('added')
    const added = await lm.call('1.1', 'UserAdd', {
      ...credentials(admin),
      sParentOrganisationIdentifier: String(admin.organisationId),
      User: { Username: username, Password: 'Secret-1' },
    })
    expect(added.fault, added.body).toBeUndefined()
    const users = (await listing('logicmelon')).users
    expect(users.find((u) => u.login === username)?.origin).toBe('api')
    expect(users.find((u) => u.login === admin.username)?.origin).toBe('provisioned')
    expect(JSON.stringify(users)).not.toContain('Secret-1')
  })

  test(`${ORIGIN_HEADER}: "seeded" or "provisioned" (or none); anything else → 400 and no user is made`, async () => {
    const post = (login: string, origin?: string) =>
      fetch(`${ref.url}/__reference/ecgridos/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [CONTROL_HEADER]: ref.controlKey, ...(origin !== undefined ? { [ORIGIN_HEADER]: origin } : {}) },
        body: JSON.stringify({ login, password: 'Pw-1', role: 'General', group: 'g-origin' }),
      })
    const [bad, seededOne, provisionedOne] = [uniqueName('bad'), uniqueName('seed'), uniqueName('prov')]
    for (const origin of ['api', 'Seeded', '']) {
      const answer = await post(bad, origin)
      expect(answer.status, origin).toBe(400)
      expect(await answer.text()).toContain(ORIGIN_HEADER)
    }
    expect((await post(seededOne, 'seeded')).status).toBe(201)
    expect((await post(provisionedOne, 'provisioned')).status).toBe(201)
    const users = (await listing('ecgridos')).users
    expect(users.some((u) => u.login === bad)).toBe(false)
    expect(users.find((u) => u.login === seededOne)?.origin).toBe('seeded')
    expect(users.find((u) => u.login === provisionedOne)?.origin).toBe('provisioned')
  })
})

describe('origins', () => {
  test('a --db file keeps them across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reference-origins-'))
    try {
      const dbFile = join(dir, 'ref.sqlite')
      const first = await startReference({ dbFile })
      const api = project.apis.get('logicmelon')!
      const [user] = await new ReferenceUsers(api, { url: first.url, key: first.controlKey, origin: 'seeded' }, 10_000).acquire([{ role: 'Administrator' }], 3)
      await first.close()
      const second = await startReference({ dbFile })
      try {
        const answer = await fetch(`${second.url}/__reference/logicmelon/users`, { headers: { [CONTROL_HEADER]: second.controlKey } })
        const { users } = (await answer.json()) as Listing
        expect(users.find((u) => u.login === user!.attrs.username)?.origin).toBe('seeded')
      } finally {
        await second.close()
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('the book: recorded per store, forgotten for users that are gone', () => {
    const db = openDatabase(':memory:')
    try {
      const book = createOriginBook(db)
      book.record('a', '1', 'seeded')
      book.record('a', '2', 'provisioned')
      book.record('b', '1', 'provisioned')
      book.record('a', '3', 'api')
      expect([...book.of('a')]).toEqual([
        ['1', 'seeded'],
        ['2', 'provisioned'],
      ])
      book.keepOnly('a', ['2'])
      expect([...book.of('a')]).toEqual([['2', 'provisioned']])
      expect([...book.of('b')]).toEqual([['1', 'provisioned']])
      // A user made again under the same id (a store that reuses ids) takes its new origin.
      book.record('a', '2', 'seeded')
      expect(book.of('a').get('2')).toBe('seeded')
    } finally {
      db.close()
    }
  })
})
