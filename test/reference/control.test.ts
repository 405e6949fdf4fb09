import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startReference } from '../../reference/index.ts'
import { startClient, uniqueName, type RefClient } from './helpers.ts'

let c: RefClient
beforeAll(async () => {
  c = await startClient({ controlKey: 'k'.repeat(32) })
})
afterAll(async () => {
  await c.ref.close()
})

const USERS = '/__reference/inforouter/users'
const user = (userName: string): Record<string, string> => ({
  userName,
  password: 'pw',
  role: 'member',
  firstName: '',
  lastName: '',
  email: '',
  mobileNumber: '',
})

describe('provisioning control endpoint', () => {
  test('every control route needs the control key: missing or wrong → 403 {"error":"forbidden"}', async () => {
    for (const key of [null, 'wrong', 'k'.repeat(31), '']) {
      for (const [method, path] of [
        ['POST', USERS],
        ['DELETE', `${USERS}/x`],
        ['POST', '/__reference/clock'],
        ['GET', '/__reference/nothing'],
      ] as const) {
        const answer = await c.control(method, path, {}, key)
        expect(answer.status).toBe(403)
        expect(JSON.parse(answer.body)).toEqual({ error: 'forbidden' })
      }
    }
    expect(c.ref.controlKey).toBe('k'.repeat(32))
  })

  test('POST users → 201 {userId}; the same name in another case → 409; the user can log in', async () => {
    const name = uniqueName('Ctl')
    const created = await c.control('POST', USERS, user(name))
    expect(created.status).toBe(201)
    expect(created.contentType).toMatch(/^application\/json/)
    const { userId } = JSON.parse(created.body) as { userId: number }
    expect(Number.isInteger(userId)).toBe(true)
    const dup = await c.control('POST', USERS, user(name.toLowerCase()))
    expect(dup.status).toBe(409)
    const login = await c.call('http-get', 'AuthenticateUser', { UID: name, PWD: 'pw' })
    expect(login.attrs.userid).toBe(String(userId))
    expect(login.attrs.fullname).toBe('')
  })

  test('a bad body → 400', async () => {
    const bodies: unknown[] = [
      undefined,
      [],
      'text',
      { ...user(uniqueName()), role: 'admin' },
      { ...user(uniqueName()), email: 5 },
      { ...user(''), role: 'member' },
      { ...user(uniqueName()), extra: 'x' },
      { password: 'x', role: 'member' },
    ]
    for (const body of bodies) expect((await c.control('POST', USERS, body)).status).toBe(400)
    const notJson = await c.raw('POST', USERS, { headers: { 'x-reference-control': c.ref.controlKey }, body: '{oops' })
    expect(notJson.status).toBe(400)
  })

  test('optional name/contact fields default to ""', async () => {
    const name = uniqueName()
    expect((await c.control('POST', USERS, { userName: name, password: 'p', role: 'sysadmin' })).status).toBe(201)
    const ticket = await c.login({ userName: name, password: 'p' })
    expect(await c.readUser(ticket, name)).toMatchObject({ Email: '', MobileNumber: '', FirstName: '', LastName: '' })
  })

  test('DELETE users/<name> → 204 (case-insensitive, encoded names); unknown → 404', async () => {
    const name = `${uniqueName()} a/b+c`
    expect((await c.control('POST', USERS, user(name))).status).toBe(201)
    const deleted = await c.control('DELETE', `${USERS}/${encodeURIComponent(name.toUpperCase())}`)
    expect(deleted.status).toBe(204)
    expect(deleted.body).toBe('')
    expect((await c.control('DELETE', `${USERS}/${encodeURIComponent(name)}`)).status).toBe(404)
    const login = await c.call('http-get', 'AuthenticateUser', { UID: name, PWD: 'pw' })
    expect(login.attrs.success).toBe('false')
  })

  test('POST /__reference/clock validates advanceMs; unknown control paths 404; wrong method 405', async () => {
    expect((await c.control('POST', '/__reference/clock', { advanceMs: 1000 })).status).toBe(204)
    expect((await c.control('POST', '/__reference/clock', { advanceMs: -1 })).status).toBe(400)
    expect((await c.control('POST', '/__reference/clock', { advanceMs: 1.5 })).status).toBe(400)
    expect((await c.control('POST', '/__reference/clock', {})).status).toBe(400)
    expect((await c.control('GET', '/__reference/nothing')).status).toBe(404)
    expect((await c.control('PUT', USERS)).status).toBe(405)
  })

  test('a default control key is 32 random hex characters', async () => {
    const r = await startReference()
    try {
      expect(r.controlKey).toMatch(/^[0-9a-f]{32}$/)
      expect(r.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    } finally {
      await r.close()
    }
  })
})

describe('dbFile', () => {
  test('a file database keeps users and tickets across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reference-db-'))
    try {
      const dbFile = join(dir, 'ref.db')
      const first = await startClient({ dbFile })
      const jane = await first.provision()
      const ticket = await first.login(jane)
      await first.ref.close()
      const second = await startClient({ dbFile })
      try {
        expect((await second.readUser(ticket, jane.userName)).Email).toBe(jane.email)
        expect((await second.control('POST', USERS, user(jane.userName))).status).toBe(409)
      } finally {
        await second.ref.close()
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
