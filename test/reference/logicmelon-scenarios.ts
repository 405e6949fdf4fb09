/**
 * One scenario per LogicMelon deviation: `run` observes the behaviour the deviation breaks (with fresh
 * fixture users), `plain` is what the faithful reference gives, `deviant` what the deviation gives.
 */
import * as soap from 'soap'
import { wsdlFacts } from '../../src/compare/wsdl.ts'
import { LM_PATH, type LmClient, credentials, processFault, profile, type LmFixture, type XRecord } from './logicmelon-helpers.ts'

export interface LmScenario {
  run(lm: LmClient): Promise<unknown>
  readonly plain: unknown
  readonly deviant: unknown
}

const AUTH_FAILED = processFault('Authentication failed.')
const CANNOT_MOVE = processFault('You are not able to move users using this function.')
const NULL_REFERENCE = processFault('Object reference not set to an instance of an object.')

/** An Administrator and a Recruiter (with a profile) in one fresh group. */
async function pair(lm: LmClient, recruiter: Record<string, string> = {}): Promise<{ admin: LmFixture; target: LmFixture }> {
  const admin = await lm.provision({ role: 'Administrator' })
  const target = await lm.provision({ role: 'Recruiter', group: admin.group, ...profile('dev'), ...recruiter })
  return { admin, target }
}

const updateOf = (lm: LmClient, admin: LmFixture, target: LmFixture, user: XRecord) => lm.update('1.1', admin, { UserID: String(target.userId), ...user })

const signsIn = async (lm: LmClient, user: LmFixture): Promise<boolean> => (await lm.call('1.1', 'UserList', credentials(user))).users !== undefined

const XSD = 'http://www.w3.org/2001/XMLSchema'

/** Facts of the WSDL the service serves (src/compare/wsdl.ts), and what UserList answers for a Recruiter. */
async function describedAndAnswered(lm: LmClient, facts: readonly string[], field: string): Promise<unknown[]> {
  const described = wsdlFacts((await lm.c.raw('GET', `${LM_PATH}?WSDL`)).body)
  const { admin, target } = await pair(lm)
  const users = (await lm.call('1.1', 'UserList', { ...credentials(admin), sUserIdentifier: String(target.userId) })).users ?? []
  return [...facts.map((f) => described.get(f)), users[0]?.[field]]
}

export const LOGICMELON_SCENARIOS: Record<string, LmScenario> = {
  'lm-soap12-as-soap11': {
    async run(lm) {
      const { admin } = await pair(lm)
      const answers = [await lm.send('1.2', 'UserList', credentials(admin)), await lm.send('1.1', 'UserList', credentials(admin))]
      return answers.map((a) => [a.status, a.contentType, a.body.includes('http://www.w3.org/2003/05/soap-envelope')])
    },
    plain: [
      [200, 'application/soap+xml; charset=utf-8', true],
      [200, 'text/xml; charset=utf-8', false],
    ],
    deviant: [
      [200, 'text/xml; charset=utf-8', false],
      [200, 'text/xml; charset=utf-8', false],
    ],
  },
  'lm-fault-http-200': {
    async run(lm) {
      const { admin, target } = await pair(lm)
      const answers = [
        await lm.update('1.1', { ...admin, password: 'x' }, { UserID: String(target.userId) }),
        await updateOf(lm, admin, target, { OrganisationID: '1' }),
      ]
      return answers.map((a) => [a.status, a.fault?.reason])
    },
    plain: [
      [500, AUTH_FAILED],
      [500, CANNOT_MOVE],
    ],
    deviant: [
      [200, AUTH_FAILED],
      [200, CANNOT_MOVE],
    ],
  },
  'lm-answer-drops-address': {
    async run(lm) {
      const { admin, target } = await pair(lm)
      const answer = await updateOf(lm, admin, target, { UserAddress1: 'New street' })
      return [answer.fieldOrder?.length, answer.user?.UserAddress1, answer.user?.UserPostCode, (await lm.read(admin, target.userId)).UserAddress1]
    },
    plain: [30, 'New street', 'UserPostCode-dev', 'New street'],
    deviant: [24, undefined, undefined, 'New street'],
  },
  'lm-update-not-persisted': {
    async run(lm) {
      const { admin, target } = await pair(lm)
      const answer = await updateOf(lm, admin, target, { FirstName: 'Saved?' })
      return [answer.user?.FirstName, (await lm.read(admin, target.userId)).FirstName]
    },
    plain: ['Saved?', 'Saved?'],
    deviant: ['Saved?', 'FirstName-dev'],
  },
  'lm-round-trip-clears-password': {
    async run(lm) {
      const { admin } = await pair(lm)
      const target = await lm.provision({ role: 'Administrator', group: admin.group })
      const before = await lm.read(admin, target.userId)
      const answer = await lm.update('1.1', admin, before)
      return [answer.user?.Password, (await lm.read(admin, target.userId)).FirstName === before.FirstName, await signsIn(lm, target)]
    },
    plain: ['', true, true],
    deviant: ['', true, false],
  },
  'lm-updates-identity': {
    async run(lm) {
      const { admin, target } = await pair(lm, { userIdentifier: 'ident-before' })
      const answer = await updateOf(lm, admin, target, { UserIdentifier: 'ident-after', Username: `${target.username}-after` })
      const after = await lm.read(admin, target.userId)
      return [answer.user?.UserIdentifier, after.UserIdentifier, after.Username === target.username]
    },
    plain: ['ident-before', 'ident-before', true],
    deviant: ['ident-after', 'ident-after', false],
  },
  'lm-role-reset': {
    async run(lm) {
      const { admin, target } = await pair(lm)
      const same = await updateOf(lm, admin, target, { UserRoleID: '2' })
      const other = await updateOf(lm, admin, target, { UserRoleID: '1' })
      return [same.user?.UserRoleID, other.user?.UserRoleID, (await lm.read(admin, target.userId)).UserRoleID]
    },
    plain: ['2', '2', '2'],
    deviant: ['2', '0', '0'],
  },
  'lm-applies-role': {
    async run(lm) {
      const { admin, target } = await pair(lm)
      const answer = await updateOf(lm, admin, target, { UserRoleID: '1' })
      return [answer.user?.UserRoleID, (await lm.read(admin, target.userId)).UserRoleID]
    },
    plain: ['2', '2'],
    deviant: ['1', '1'],
  },
  'lm-uppercases-position': {
    async run(lm) {
      const { admin, target } = await pair(lm)
      const answer = await updateOf(lm, admin, target, { Position: 'Lead dev', Mobile: 'lower' })
      const after = await lm.read(admin, target.userId)
      return [answer.user?.Position, after.Position, after.Mobile]
    },
    plain: ['Lead dev', 'Lead dev', 'lower'],
    deviant: ['LEAD DEV', 'LEAD DEV', 'lower'],
  },
  'lm-names-ascii-only': {
    async run(lm) {
      const { admin, target } = await pair(lm)
      const answer = await updateOf(lm, admin, target, { FirstName: 'Zoë', LastName: '𠮷田' })
      return [answer.user?.FirstName, answer.user?.LastName]
    },
    plain: ['Zoë', '𠮷田'],
    deviant: ['Zo?', '??'],
  },
  'lm-post-code-as-number': {
    async run(lm) {
      const { admin, target } = await pair(lm)
      const answer = await updateOf(lm, admin, target, { UserPostCode: '02134', Phone: '0123' })
      return [answer.user?.UserPostCode, answer.user?.Phone]
    },
    plain: ['02134', '0123'],
    deviant: ['2134', '0123'],
  },
  'lm-omitted-clears': {
    async run(lm) {
      const { admin, target } = await pair(lm)
      await updateOf(lm, admin, target, { FirstName: 'Only', LastName: null })
      const after = await lm.read(admin, target.userId)
      return [after.FirstName, after.LastName, after.Phone, after.Position]
    },
    plain: ['Only', 'LastName-dev', 'Phone-dev', 'Position-dev'],
    deviant: ['Only', 'LastName-dev', '', ''],
  },
  'lm-nil-clears': {
    async run(lm) {
      const { admin, target } = await pair(lm)
      await updateOf(lm, admin, target, { FirstName: null, LastName: 'Kept?' })
      const after = await lm.read(admin, target.userId)
      return [after.FirstName, after.LastName, after.Phone]
    },
    plain: ['FirstName-dev', 'Kept?', 'Phone-dev'],
    deviant: ['', 'Kept?', 'Phone-dev'],
  },
  'lm-moves-user': {
    async run(lm) {
      const { admin, target } = await pair(lm)
      const child = await lm.provision({ role: 'Recruiter', group: admin.group, placement: 'other-organisation' })
      const answer = await updateOf(lm, admin, target, { OrganisationID: String(child.organisationId) })
      const moved = Number((await lm.read(admin, target.userId)).OrganisationID) === child.organisationId
      return [answer.fault?.reason, moved]
    },
    plain: [CANNOT_MOVE, false],
    deviant: [undefined, true],
  },
  'lm-any-password': {
    async run(lm) {
      const { admin } = await pair(lm)
      const wrongPassword = await lm.call('1.1', 'UserList', credentials({ ...admin, password: 'wrong' }))
      const wrongKey = await lm.call('1.1', 'UserList', credentials({ ...admin, apiKey: 'f'.repeat(32) }))
      return [wrongPassword.fault?.reason ?? wrongPassword.users?.length, wrongKey.fault?.reason ?? wrongKey.users?.length]
    },
    plain: [AUTH_FAILED, AUTH_FAILED],
    deviant: [2, AUTH_FAILED],
  },
  'lm-any-api-key': {
    async run(lm) {
      const { admin } = await pair(lm)
      const wrongKey = await lm.call('1.1', 'UserList', credentials({ ...admin, apiKey: 'f'.repeat(32) }))
      const wrongPassword = await lm.call('1.1', 'UserList', credentials({ ...admin, password: 'wrong' }))
      return [wrongKey.fault?.reason ?? wrongKey.users?.length, wrongPassword.fault?.reason ?? wrongPassword.users?.length]
    },
    plain: [AUTH_FAILED, AUTH_FAILED],
    deviant: [2, AUTH_FAILED],
  },
  'lm-bad-credentials-empty-user': {
    async run(lm) {
      const { admin, target } = await pair(lm)
      const bad = { ...admin, password: 'wrong' }
      const update = await lm.update('1.1', bad, { UserID: String(target.userId), FirstName: 'x' })
      const list = await lm.call('1.1', 'UserList', credentials(bad))
      const user = update.user
      return [
        update.status,
        update.fault?.reason,
        user && [user.UserID, user.OrganisationID, user.Username, user.FirstName, user.BBDExpiredEmail],
        list.fault?.reason,
      ]
    },
    plain: [500, AUTH_FAILED, undefined, AUTH_FAILED],
    deviant: [200, undefined, ['0', '0', '', '', 'false'], AUTH_FAILED],
  },
  'lm-role-as-name': {
    async run(lm) {
      const { admin, target } = await pair(lm)
      const roles = (await lm.list(admin)).map((u) => u.UserRoleID)
      return [...roles, (await updateOf(lm, admin, target, {})).user?.UserRoleID]
    },
    plain: ['1', '2', '2'],
    deviant: ['1', '2', 'Recruiter'],
  },
  'lm-flags-capitalised': {
    async run(lm) {
      const { admin, target } = await pair(lm)
      const answer = await updateOf(lm, admin, target, { BBDExpiredEmail: 'true' })
      return [answer.user?.BBDExpiredEmail, answer.user?.BBDLiveAdvertEmail, (await lm.read(admin, target.userId)).BBDExpiredEmail]
    },
    plain: ['true', 'false', 'true'],
    deviant: ['True', 'False', 'true'],
  },
  'lm-password-echoed': {
    async run(lm) {
      const { admin, target } = await pair(lm)
      const echoed = (await lm.read(admin, admin.userId)).Password === admin.password
      const answer = await updateOf(lm, admin, target, {})
      return [echoed, answer.user?.Password === target.password]
    },
    plain: [false, false],
    deviant: [true, true],
  },
  'lm-wsdl-flat-params': {
    async run(lm) {
      const { admin, target } = await pair(lm)
      const wsdl = (await lm.c.raw('GET', `${LM_PATH}?WSDL`)).body
      const element = /<s:element name="UserUpdate">([\s\S]*?)<\/s:element>\r\n {8}<s:element/.exec(wsdl)?.[1] ?? ''
      const names = [...element.matchAll(/name="(\w+)"/g)].map((m) => m[1])
      const client = await soap.createClientAsync(`${lm.c.url}${LM_PATH}?WSDL`, { disableCache: true })
      const args = { ...credentials(admin), User: { UserID: target.userId, FirstName: 'Generated' } }
      // A client generated from each WSDL passes what that WSDL describes.
      const call = names.includes('Request') ? client.UserUpdateAsync({ Request: args }) : client.UserUpdateAsync(args)
      const outcome = await call.then(
        ([result]: [{ UserUpdateResult: { FirstName: string } }]) => result.UserUpdateResult.FirstName,
        (error: { root?: { Envelope?: { Body?: { Fault?: { faultstring?: string } } } } }) => error.root?.Envelope?.Body?.Fault?.faultstring,
      )
      return [names, outcome]
    },
    plain: [['Request'], 'Generated'],
    deviant: [['sCultureID', 'sAPIKey', 'sUsername', 'sPassword', 'User'], NULL_REFERENCE],
  },
  'lm-wsdl-cuser-user-id-as-string': {
    run: (lm) =>
      describedAndAnswered(lm, ['type CUser/UserID type', 'type CUser/UserRoleID type'], 'UserID').then(([a, b, id]) => [a, b, /^\d+$/.test(String(id))]),
    plain: [`{${XSD}}int`, `{${XSD}}int`, true],
    deviant: [`{${XSD}}string`, `{${XSD}}int`, true],
  },
  'lm-wsdl-cuser-lacks-fax': {
    run: (lm) => describedAndAnswered(lm, ['type CUser/Fax type', 'type CUser/Phone type'], 'Fax'),
    plain: [`{${XSD}}string`, `{${XSD}}string`, 'Fax-dev'],
    deviant: [undefined, `{${XSD}}string`, 'Fax-dev'],
  },
  'lm-wsdl-list-lacks-start-organisation': {
    run: (lm) => describedAndAnswered(lm, ['type UserListRequest/sStartOrganisation type', 'type UserListRequest/sUserIdentifier type'], 'Fax'),
    plain: [`{${XSD}}string`, `{${XSD}}string`, 'Fax-dev'],
    deviant: [undefined, `{${XSD}}string`, 'Fax-dev'],
  },
}
