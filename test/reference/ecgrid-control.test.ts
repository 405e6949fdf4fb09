import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { embeddedApis, startReference } from '../../reference/index.ts'
import { parseNewFixtureUser } from '../../reference/ecgrid/control.ts'
import { RefClient, startClient, uniqueName } from './helpers.ts'
import { EcgridClient } from './ecgrid-helpers.ts'

let c: RefClient
let ec: EcgridClient
beforeAll(async () => {
  c = await startClient({ controlKey: 'e'.repeat(32) })
  ec = new EcgridClient(c)
})
afterAll(async () => {
  await c.ref.close()
})

const FACES = ['ecgridos', 'ecgrid-rest'] as const
const body = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  login: uniqueName('ctl'),
  password: 'Pw1!',
  firstName: 'F',
  lastName: 'L',
  email: 'f@l.test',
  role: 'MailboxUser',
  group: uniqueName('g'),
  ...overrides,
})

describe('ECGrid provisioning', () => {
  test('a fresh reference numbers users from 5001, networks from 10, mailboxes from 100; all values are strings', async () => {
    const fresh = await startClient()
    try {
      const answer = await fresh.control('POST', '/__reference/ecgridos/users', body())
      expect(answer.status).toBe(201)
      expect(answer.contentType).toMatch(/^application\/json/)
      const created = JSON.parse(answer.body) as Record<string, unknown>
      expect(created).toEqual({ userId: '5001', apiKey: expect.stringMatching(/^[0-9a-f]{32}$/), networkId: '10', mailboxId: '100' })
    } finally {
      await fresh.ref.close()
    }
  })

  test.each(FACES)('/__reference/%s/users: one group shares a network and mailbox; placement moves a user out', async (face) => {
    const group = uniqueName('grp')
    const a = await ec.provision({ group }, face)
    const b = await ec.provision({ group, placement: 'same' }, face)
    const otherMailbox = await ec.provision({ group, placement: 'other-mailbox' }, face)
    const otherMailbox2 = await ec.provision({ group, placement: 'other-mailbox' }, face)
    const otherNetwork = await ec.provision({ group, placement: 'other-network' }, face)
    const otherGroup = await ec.provision({}, face)
    expect([b.networkId, b.mailboxId]).toEqual([a.networkId, a.mailboxId])
    expect(otherMailbox.networkId).toBe(a.networkId)
    expect(otherMailbox.mailboxId).not.toBe(a.mailboxId)
    expect(otherMailbox2.mailboxId).not.toBe(otherMailbox.mailboxId)
    expect(otherNetwork.networkId).not.toBe(a.networkId)
    expect(otherNetwork.mailboxId).not.toBe(a.mailboxId)
    expect(otherGroup.networkId).not.toBe(a.networkId)
    expect(new Set([a, b, otherMailbox, otherNetwork].map((u) => u.apiKey)).size).toBe(4)
  })

  test('a group first used with other-mailbox still gets its own network and mailbox for later "same" users', async () => {
    const group = uniqueName('grp')
    const moved = await ec.provision({ group, placement: 'other-mailbox' })
    const home = await ec.provision({ group })
    expect(home.networkId).toBe(moved.networkId)
    expect(home.mailboxId).not.toBe(moved.mailboxId)
  })

  test('the user is what was asked: role is the AuthLevel, status defaults to Active, names and email as given', async () => {
    const root = await ec.provision({ role: 'Root', status: 'Preproduction', firstName: 'Rita', lastName: 'Root', email: 'rita@root.test' })
    const session = await ec.login(root)
    expect(await ec.userInfo(session, root.userId)).toMatchObject({ AuthLevel: 'Root', Status: 'Preproduction', FirstName: 'Rita', Email: 'rita@root.test' })
    const plain = await ec.provision({}, 'ecgrid-rest')
    expect(await ec.read(plain)).toMatchObject({ authLevel: 'MailboxUser', status: 'Active' })
    const bare = await c.control('POST', '/__reference/ecgrid-rest/users', { login: uniqueName('bare'), password: 'p', role: 'General', group: 'g' })
    expect(bare.status).toBe(201)
  })

  test('the same login (any case, either alias) is 409', async () => {
    const first = body()
    expect((await c.control('POST', '/__reference/ecgridos/users', first)).status).toBe(201)
    expect((await c.control('POST', '/__reference/ecgrid-rest/users', { ...first, login: String(first.login).toUpperCase() })).status).toBe(409)
  })

  test('a bad body is 400; unknown fields are named with the allowed ones', async () => {
    const bad: unknown[] = [
      undefined,
      [],
      'text',
      body({ login: '' }),
      body({ login: undefined }),
      body({ password: undefined }),
      body({ group: undefined }),
      body({ group: '' }),
      body({ role: 'NoChange' }),
      body({ role: 'admin' }),
      body({ status: 'Gone' }),
      body({ placement: 'elsewhere' }),
      body({ email: 5 }),
      body({ userName: 'x' }),
      body({ mobileNumber: '+1' }),
    ]
    for (const b of bad) expect((await c.control('POST', '/__reference/ecgridos/users', b)).status).toBe(400)
    const unknown = await c.control('POST', '/__reference/ecgrid-rest/users', body({ userName: 'x' }))
    expect(JSON.parse(unknown.body)).toEqual({
      error: 'bad request',
      message: 'unknown fields: userName; allowed: login, password, role, group, firstName, lastName, email, status, placement',
    })
  })

  test.each(FACES)('DELETE /__reference/%s/users/<login> → 204, ends sessions and the API key; unknown → 404', async (face) => {
    const user = await ec.provision()
    const session = await ec.login(user)
    const deleted = await c.control('DELETE', `/__reference/${face}/users/${encodeURIComponent(user.login.toUpperCase())}`)
    expect([deleted.status, deleted.body]).toEqual([204, ''])
    expect((await ec.call('1.1', 'UserInfo', { SessionID: session, UserID: String(user.userId) })).fault?.reason).toBe('Invalid SessionID')
    expect((await ec.get(user.apiKey, user.userId)).status).toBe(401)
    expect((await c.control('DELETE', `/__reference/${face}/users/${user.login}`)).status).toBe(404)
  })

  test('the control key guards the ECGrid routes', async () => {
    for (const face of FACES) {
      expect((await c.control('POST', `/__reference/${face}/users`, body(), null)).status).toBe(403)
      expect((await c.control('DELETE', `/__reference/${face}/users/x`, undefined, 'wrong')).status).toBe(403)
    }
  })

  test('parseNewFixtureUser applies the defaults', () => {
    expect(parseNewFixtureUser({ login: 'a', password: 'b', role: 'TechOps', group: 'g' })).toEqual({
      ok: true,
      user: { login: 'a', password: 'b', firstName: '', lastName: '', email: '', role: 'TechOps', status: 'Active', group: 'g', placement: 'same' },
    })
  })
})

describe('embedded APIs', () => {
  test('embeddedApis() names the ECGrid paths', () => {
    expect(embeddedApis()).toEqual([
      { api: 'inforouter', title: 'infoRouter', paths: ['/srv.asmx'], wsdl: true },
      { api: 'ecgridos', title: 'ECGridOS', paths: ['/v4.1/prod/ECGridOS.asmx'], wsdl: true },
      { api: 'ecgrid-rest', title: 'ECGrid REST', paths: ['/v2/users', '/v2/users/{id}'], wsdl: false },
      { api: 'logicmelon', title: 'LogicMelon', paths: ['/json/Administration.asmx'], wsdl: true },
      // The live profile at its real path under a base of its own: the seed profile holds the root.
      { api: 'ecgridos-v41', title: 'ECGridOS v4.1 (live profile)', paths: ['/live/v4.1/prod/ECGridOS.asmx'], wsdl: true, base: '/live' },
    ])
  })

  test('a file database keeps ECGrid users, sessions and id sequences across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reference-ecgrid-'))
    try {
      const dbFile = join(dir, 'ref.db')
      const first = new EcgridClient(await startClient({ dbFile }))
      const user = await first.provision()
      const session = await first.login(user)
      await first.c.ref.close()
      const second = new EcgridClient(await startClient({ dbFile }))
      try {
        expect((await second.userInfo(session, user.userId)).Login).toBe(user.login)
        expect((await second.provision()).userId).toBe(user.userId + 1)
      } finally {
        await second.c.ref.close()
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('startReference with no ECGrid users answers REST 401 and SOAP faults, not errors', async () => {
    const r = await startReference()
    try {
      const ec2 = new EcgridClient(new RefClient(r))
      expect((await ec2.get(null, 1)).status).toBe(401)
      expect((await ec2.call('1.2', 'Login', { UserName: 'x', Password: 'y' })).fault?.errorCode).toBe('Authentication')
    } finally {
      await r.close()
    }
  })
})
