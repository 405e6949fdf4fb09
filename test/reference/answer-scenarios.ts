/**
 * Scenarios of the deviations in reference/deviations/answers.ts (headers, update answers, breaks that show only
 * when a field starts with a value), one table per API; each catalogue test merges its API's table after its own.
 */
import { adminAndTarget, restUpdate, type Scenario } from './ecgrid-scenarios.ts'
import { credentials, type LmClient, type LmFixture, type XRecord } from './logicmelon-helpers.ts'
import type { LmScenario } from './logicmelon-scenarios.ts'

const cookieOf = (headers: Record<string, string | string[] | undefined>): string => [headers['set-cookie'] ?? []].flat().join('; ')

export const ECGRIDOS_ANSWER_SCENARIOS: Record<string, Scenario> = {
  'eo-login-credentials-header': {
    run: async (ec) => {
      const user = await ec.provision()
      const answer = await ec.send('1.2', 'Login', { UserName: user.login, Password: user.password })
      const header = answer.headers['x-ecgrid-login']
      return typeof header === 'string' ? Buffer.from(header, 'base64').toString('utf8') === `${user.login}:${user.password}` : 'absent'
    },
    plain: 'absent',
    deviant: true,
  },
  'eo-answer-caller-placement': {
    run: async (ec) => {
      const root = await ec.provision({ role: 'Root' })
      const bob = await ec.provision({ role: 'MailboxUser', placement: 'other-network' })
      const session = await ec.login(root)
      const answer = await ec.call('1.1', 'UserUpdate', {
        SessionID: session,
        UserID: String(bob.userId),
        FirstName: 'New',
        LastName: bob.lastName,
        Email: bob.email,
      })
      const result = answer.result as Record<string, string>
      const info = await ec.userInfo(session, bob.userId)
      return {
        answered: result.NetworkID === String(root.networkId) ? 'the caller’s' : result.NetworkID === info.NetworkID ? 'the user’s' : 'other',
        stored: info.NetworkID === String(bob.networkId),
      }
    },
    plain: { answered: 'the user’s', stored: true },
    deviant: { answered: 'the caller’s', stored: true },
  },
}

export const ECGRID_REST_ANSWER_SCENARIOS: Record<string, Scenario> = {
  'er-api-key-echoed': {
    run: async (ec) => {
      const { admin, target } = await adminAndTarget(ec)
      const put = await ec.put(admin.apiKey, { userId: target.userId, firstName: 'New' })
      const get = await ec.rest('GET', `/v2/users/${target.userId}`, { key: admin.apiKey })
      return [put.headers['x-api-key'] === admin.apiKey, get.headers['x-api-key'] === admin.apiKey, put.status]
    },
    plain: [false, false, 200],
    deviant: [true, true, 200],
  },
  'er-answer-echoes-body': {
    run: async (ec) => {
      const { answer, after, target } = await restUpdate(ec, { firstName: 'New', login: 'taken-over', status: 'Suspended' })
      const data = answer.json.data as Record<string, unknown>
      return {
        status: answer.status,
        answered: [data.firstName, data.login === target.login ? 'own login' : data.login, data.status],
        stored: [after.firstName, after.login === target.login, after.status],
      }
    },
    plain: { status: 200, answered: ['New', 'own login', 'Active'], stored: ['New', true, 'Active'] },
    deviant: { status: 200, answered: ['New', 'taken-over', 'Suspended'], stored: ['New', true, 'Active'] },
  },
}

/** An Administrator and a Recruiter in one group; the Recruiter starts with a fax and an address. */
async function pair(lm: LmClient): Promise<{ admin: LmFixture; target: LmFixture }> {
  const admin = await lm.provision({ role: 'Administrator' })
  const target = await lm.provision({
    role: 'Recruiter',
    group: admin.group,
    fax: '0100',
    userAddress2: 'Flat 2',
    userAddress3: 'Block C',
    userAddress1: '1 Road',
  })
  return { admin, target }
}

const FLAGS = [
  'BBDCopySentMessages',
  'BBDLiveAdvertEmail',
  'BBDExpiringEmail',
  'BBDExpiredEmail',
  'DailyNewCandidatesEmail',
  'BBDInformCandidatesEmail',
  'BBDRemovedManuallyEmail',
]
const allFlags = (value: string): XRecord => Object.fromEntries(FLAGS.map((f) => [f, value]))

/** Updates the target as the admin, then reads it back: the answer's and the store's view of `fields`. */
async function updated(
  lm: LmClient,
  user: (target: LmFixture) => XRecord,
  fields: readonly string[],
  first?: (admin: LmFixture, target: LmFixture) => Promise<unknown>,
) {
  const { admin, target } = await pair(lm)
  await first?.(admin, target)
  const answer = await lm.update('1.1', admin, { UserID: String(target.userId), ...user(target) })
  const stored = await lm.read(admin, target.userId)
  const pick = (u: Record<string, string> | undefined) => fields.map((f) => u?.[f])
  return { answered: pick(answer.user), stored: pick(stored), admin, target }
}

export const LOGICMELON_ANSWER_SCENARIOS: Record<string, LmScenario> = {
  'lm-credentials-cookie': {
    async run(lm) {
      const { admin } = await pair(lm)
      const answer = await lm.send('1.1', 'UserList', credentials(admin))
      return cookieOf(answer.headers).includes(encodeURIComponent(`${admin.username}:${admin.password}`))
    },
    plain: false,
    deviant: true,
  },
  'lm-answer-stale-address': {
    async run(lm) {
      const { answered, stored } = await updated(lm, () => ({ Fax: '0200', UserAddress2: 'Flat 9' }), ['Fax', 'UserAddress2'])
      return { answered, stored }
    },
    plain: { answered: ['0200', 'Flat 9'], stored: ['0200', 'Flat 9'] },
    deviant: { answered: ['0100', 'Flat 2'], stored: ['0200', 'Flat 9'] },
  },
  'lm-answer-echoes-request': {
    async run(lm) {
      const { answered, stored, target } = await updated(lm, () => ({ UserIdentifier: 'usr-submitted', Username: 'submitted-name' }), [
        'UserIdentifier',
        'Username',
      ])
      return {
        answered: answered.map((v) => (v === 'usr-submitted' || v === 'submitted-name' ? 'submitted' : 'own')),
        stored: [stored[0] === target.userIdentifier, stored[1] === target.username],
      }
    },
    plain: { answered: ['own', 'own'], stored: [true, true] },
    deviant: { answered: ['submitted', 'submitted'], stored: [true, true] },
  },
  'lm-answer-caller-identifier': {
    async run(lm) {
      const { answered, admin, target } = await updated(lm, () => ({ FirstName: 'New' }), ['UserIdentifier'])
      return answered[0] === admin.userIdentifier ? 'the caller’s' : answered[0] === target.userIdentifier ? 'the user’s' : 'other'
    },
    plain: 'the user’s',
    deviant: 'the caller’s',
  },
  'lm-empty-keeps-fax': {
    async run(lm) {
      return (await updated(lm, () => ({ Fax: '', UserAddress1: '' }), ['Fax', 'UserAddress1'])).stored
    },
    plain: ['', ''],
    deviant: ['0100', ''],
  },
  'lm-nil-clears-secondary-address': {
    async run(lm) {
      return (await updated(lm, () => ({ UserAddress1: null, UserAddress2: null, UserAddress3: null }), ['UserAddress1', 'UserAddress2', 'UserAddress3']))
        .stored
    },
    plain: ['1 Road', 'Flat 2', 'Block C'],
    deviant: ['1 Road', '', ''],
  },
  'lm-left-out-flags-reset': {
    async run(lm) {
      const setFlags = (admin: LmFixture, target: LmFixture) => lm.update('1.1', admin, { UserID: String(target.userId), ...allFlags('true') })
      return (await updated(lm, () => ({ FirstName: 'New' }), FLAGS, setFlags)).stored
    },
    plain: FLAGS.map(() => 'true'),
    deviant: FLAGS.map(() => 'false'),
  },
  'lm-nil-flag-false': {
    async run(lm) {
      const setFlags = (admin: LmFixture, target: LmFixture) => lm.update('1.1', admin, { UserID: String(target.userId), ...allFlags('true') })
      return (await updated(lm, () => ({ BBDExpiredEmail: null, BBDLiveAdvertEmail: 'true' }), ['BBDExpiredEmail', 'BBDLiveAdvertEmail'], setFlags)).stored
    },
    plain: ['true', 'true'],
    deviant: ['false', 'true'],
  },
}
