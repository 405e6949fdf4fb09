/**
 * D4 over every face that checks it (SOAP UserUpdate and UserInfo in both versions, REST PUT and GET):
 * the caller themselves; Root and TechOps anyone; NetworkAdmin its network; MailboxAdmin its mailbox.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startClient, uniqueName, type RefClient } from './helpers.ts'
import { EcgridClient, VERSIONS, type EcFixture, type Placement, type Role } from './ecgrid-helpers.ts'

let c: RefClient
let ec: EcgridClient
beforeAll(async () => {
  c = await startClient()
  ec = new EcgridClient(c)
})
afterAll(async () => {
  await c.ref.close()
})

interface Check {
  readonly caller: Role | 'self'
  readonly placement: Placement
  readonly allowed: boolean
}

const MATRIX: readonly Check[] = [
  { caller: 'self', placement: 'same', allowed: true },
  { caller: 'MailboxAdmin', placement: 'same', allowed: true },
  { caller: 'MailboxAdmin', placement: 'other-mailbox', allowed: false },
  { caller: 'MailboxAdmin', placement: 'other-network', allowed: false },
  { caller: 'NetworkAdmin', placement: 'same', allowed: true },
  { caller: 'NetworkAdmin', placement: 'other-mailbox', allowed: true },
  { caller: 'NetworkAdmin', placement: 'other-network', allowed: false },
  { caller: 'Root', placement: 'other-network', allowed: true },
  { caller: 'TechOps', placement: 'other-network', allowed: true },
  { caller: 'MailboxUser', placement: 'same', allowed: false },
  { caller: 'NetOps', placement: 'same', allowed: false },
  { caller: 'NetworkUser', placement: 'same', allowed: false },
  { caller: 'TPUser', placement: 'same', allowed: false },
  { caller: 'General', placement: 'same', allowed: false },
]

const label = (k: Check): string => `${k.caller} (${k.placement}) → ${k.allowed ? 'allowed' : 'refused'}`

/** A fresh target (MailboxUser) and a caller placed relative to it. */
async function pair(k: Check): Promise<{ caller: EcFixture; target: EcFixture }> {
  const group = uniqueName('auth')
  const target = await ec.provision({ role: 'MailboxUser', group })
  if (k.caller === 'self') return { caller: target, target }
  return { caller: await ec.provision({ role: k.caller, group, placement: k.placement }), target }
}

describe.each(MATRIX.map((k) => [label(k), k] as const))('%s', (_name, k) => {
  test.each(VERSIONS)('SOAP %s UserUpdate and UserInfo', async (version) => {
    const { caller, target } = await pair(k)
    const session = await ec.login(caller, version)
    const update = await ec.call(version, 'UserUpdate', { SessionID: session, UserID: String(target.userId), FirstName: 'Changed' })
    const info = await ec.call(version, 'UserInfo', { SessionID: session, UserID: String(target.userId) })
    const own = await ec.login(target)
    const after = (await ec.userInfo(own, target.userId)).FirstName
    if (k.allowed) {
      expect(update.status).toBe(200)
      expect(update.result).toMatchObject({ UserID: String(target.userId), FirstName: 'Changed' })
      expect(info.result).toMatchObject({ UserID: String(target.userId), FirstName: 'Changed' })
      expect(after).toBe('Changed')
    } else {
      expect(update.fault).toMatchObject({ errorCode: 'Authorization', reason: 'Access denied' })
      expect(info.fault).toMatchObject({ errorCode: 'Authorization', reason: 'Access denied' })
      expect(after).toBe(target.firstName)
    }
  })

  test('REST PUT and GET', async () => {
    const { caller, target } = await pair(k)
    const put = await ec.put(caller.apiKey, { userId: target.userId, firstName: 'Changed' })
    const get = await ec.get(caller.apiKey, target.userId)
    const after = (await ec.read(target)).firstName
    if (k.allowed) {
      expect([put.status, get.status]).toEqual([200, 200])
      expect(get.json.data).toMatchObject({ userId: target.userId, firstName: 'Changed' })
      expect(after).toBe('Changed')
    } else {
      expect([put.status, put.json.errorCode, get.status, get.json.errorCode]).toEqual([403, 'AccessDenied', 403, 'AccessDenied'])
      expect(after).toBe(target.firstName)
    }
  })
})
