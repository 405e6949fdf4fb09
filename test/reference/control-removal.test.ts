import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startClient, uniqueName, type RefClient } from './helpers.ts'

let c: RefClient
beforeAll(async () => {
  c = await startClient({ controlKey: 'r'.repeat(32) })
})
afterAll(async () => {
  await c.ref.close()
})

/** Each API's provisioning body for a new user, and the attribute that names the user. */
const APIS: Array<[string, string, (name: string) => Record<string, string>]> = [
  ['inforouter', 'userName', (n) => ({ userName: n, password: 'pw', role: 'member' })],
  ['ecgridos', 'login', (n) => ({ login: n, password: 'Pw1!', role: 'MailboxUser', group: uniqueName('g') })],
  ['ecgrid-rest', 'login', (n) => ({ login: n, password: 'Pw1!', role: 'MailboxUser', group: uniqueName('g') })],
  ['logicmelon', 'username', (n) => ({ username: n, password: 'Pw1!', role: 'Recruiter', group: uniqueName('g') })],
]

describe('removing provisioned users in one request (a run removes its users when it ends)', () => {
  test.each(APIS)('%s: POST users/removal {users} → 200 {removed, missing}; the users are gone, others stay', async (api, _key, make) => {
    const users = `/__reference/${api}/users`
    const [a, b, kept] = [uniqueName('rm'), uniqueName('rm'), uniqueName('keep')]
    for (const n of [a, b, kept]) expect((await c.control('POST', users, make(n))).status).toBe(201)
    const answer = await c.control('POST', `${users}/removal`, { users: [a, b, 'nobody-by-this-name'] })
    expect(answer.status).toBe(200)
    expect(JSON.parse(answer.body)).toEqual({ removed: 2, missing: ['nobody-by-this-name'] })
    // Gone: removing them again finds nobody; the one not named is still there.
    expect((await c.control('DELETE', `${users}/${a}`)).status).toBe(404)
    expect((await c.control('DELETE', `${users}/${b}`)).status).toBe(404)
    expect((await c.control('DELETE', `${users}/${kept}`)).status).toBe(204)
  })

  test('a body that is not {users: [name, …]} → 400; without the control key → 403', async () => {
    for (const body of [undefined, {}, { users: 'x' }, { users: [1] }, []]) {
      expect((await c.control('POST', '/__reference/inforouter/users/removal', body)).status).toBe(400)
    }
    expect((await c.control('POST', '/__reference/inforouter/users/removal', { users: [] }, 'wrong')).status).toBe(403)
  })
})
