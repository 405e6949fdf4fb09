import { describe, expect, test } from 'vitest'
import { compareAnswers } from '../../src/compare/classify.ts'
import type { Noise } from '../../src/compare/noise.ts'
import type { RecordedAnswer } from '../../src/compare/run-record.ts'
import { userRoles } from '../../src/compare/user-roles.ts'

/**
 * One check (infoRouter: log in as jane, read bob, update bob's e-mail, read him back), as two targets answer it: the
 * baseline with users it provisioned, the candidate with its fixture accounts. Same roles, other people.
 */
interface User {
  login: string
  id: string
  first: string
  last: string
  email: string
  lastLogon: string
}
const baselineUsers: Record<'jane' | 'bob', User> = {
  jane: { login: 'bart85cjg0pt', id: '109', first: 'Macie', last: 'Bosco', email: "Izaiah.O'Vonrueden+Vf@example.com", lastLogon: '2026-12-05' },
  bob: { login: 'claykerlukenil6rr', id: '114', first: 'Þórunn', last: 'Connelly', email: 'casey@example.com', lastLogon: '' },
}
const candidateUsers: Record<'jane' | 'bob', User> = {
  jane: { login: 'charles713nhvbs', id: '1', first: 'Fix', last: 'Ture', email: 'charles713nhvbs@example.com', lastLogon: '2026-11-30' },
  bob: { login: 'stellabalistkd8zfc', id: '2', first: 'Fix', last: 'Ture', email: 'stellabalistkd8zfc@example.com', lastLogon: '2026-12-01' },
}
const NEW_EMAIL = 'matilda+new@example.com'

const soap = (inner: string) => `<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body>${inner}</soap:Body></soap:Envelope>`
const userXml = (u: User, email = u.email) =>
  `<GetUserResponse xmlns="http://tempuri.org/"><GetUserResult><response success="true" error=""><User UserID="${u.id}" FirstName="${u.first}" LastName="${u.last}" Email="${email}" UserName="${u.login}" LastLogonDate="${u.lastLogon}"/></response></GetUserResult></GetUserResponse>`
const xml = (operation: string, step: string, request: string, answer: string, status = 200): RecordedAnswer => ({
  operation,
  step,
  method: 'POST',
  path: '/srv.asmx',
  status,
  contentType: 'application/soap+xml; charset=utf-8',
  body: soap(answer),
  request: { contentType: 'application/soap+xml; charset=utf-8', body: soap(request) },
})

interface Changes {
  updateAnswer?: string
  readBackEmail?: (users: Record<'jane' | 'bob', User>) => string
  readBackUser?: 'jane' | 'bob'
}
function check(users: Record<'jane' | 'bob', User>, changes: Changes = {}): RecordedAnswer[] {
  const { jane, bob } = users
  return [
    xml(
      'AuthenticateUser',
      'authenticate',
      `<AuthenticateUser><UID>${jane.login}</UID><PWD>***</PWD></AuthenticateUser>`,
      `<AuthenticateUserResponse><AuthenticateUserResult><root success="true" ticket="***" userid="${jane.id}" username="${jane.login}" fullname="${jane.first} ${jane.last}" email="${jane.email}"/></AuthenticateUserResult></AuthenticateUserResponse>`,
    ),
    xml('GetUser', 'snapshot', `<GetUser><authenticationTicket>***</authenticationTicket><UserName>${bob.login}</UserName></GetUser>`, userXml(bob)),
    xml(
      'UpdateUserEmail',
      'call',
      `<UpdateUserEmail><authenticationTicket>***</authenticationTicket><UserName>${bob.login}</UserName><NewEmailAddress>${NEW_EMAIL}</NewEmailAddress></UpdateUserEmail>`,
      changes.updateAnswer ??
        `<UpdateUserEmailResponse><UpdateUserEmailResult><response success="true" error="" message="e-mail of ${bob.login} changed"/></UpdateUserEmailResult></UpdateUserEmailResponse>`,
    ),
    xml(
      'GetUser',
      'read back',
      `<GetUser><authenticationTicket>***</authenticationTicket><UserName>${bob.login}</UserName></GetUser>`,
      userXml(users[changes.readBackUser ?? 'bob'], changes.readBackEmail?.(users) ?? NEW_EMAIL),
    ),
  ]
}

const noNoise: Noise = { values: new Set(), shapes: new Set(), identifiers: new Set() }
const differences = (candidate: RecordedAnswer[]) =>
  compareAnswers(check(baselineUsers), candidate, noNoise).map((d) => `${d.kind} ${d.path.split('/').pop()}: ${d.baseline} → ${d.candidate}`)

describe('user data compared by role', () => {
  test('two targets with other users, behaving alike: no difference', () => {
    expect(differences(check(candidateUsers))).toEqual([])
  })

  test('the mapping is what makes them equal: without it every user datum differs', () => {
    // The same answers with the requests and the steps taken away: nothing tells whose data is whose.
    const bare = (answers: RecordedAnswer[]) => answers.map(({ request: _r, step: _s, ...a }) => a)
    const found = compareAnswers(bare(check(baselineUsers)), bare(check(candidateUsers)), noNoise)
    expect(found.length).toBeGreaterThan(10)
    expect(found.map((d) => d.path.split('/').pop())).toEqual(expect.arrayContaining(['@username', '@UserName', '@Email', '@message']))
  })

  test('an answer that names another user of the check differs (the caller instead of the subject)', () => {
    expect(differences(check(candidateUsers, { readBackUser: 'jane', readBackEmail: () => NEW_EMAIL }))).toEqual(
      expect.arrayContaining(['value @UserID: 114 → 1', 'value @UserName: claykerlukenil6rr → charles713nhvbs']),
    )
  })

  test('a value the check sent, stored changed or not stored, differs', () => {
    expect(differences(check(candidateUsers, { readBackEmail: () => NEW_EMAIL.toUpperCase() }))).toEqual([
      `value @Email: ${NEW_EMAIL} → ${NEW_EMAIL.toUpperCase()}`,
    ])
    // Left as it was: the candidate's old e-mail is user data, but not in the place where the baseline has the new one.
    expect(differences(check(candidateUsers, { readBackEmail: (u) => u.bob.email }))).toEqual([`value @Email: ${NEW_EMAIL} → ${candidateUsers.bob.email}`])
  })

  test('status, fault text and fields only one side has still differ', () => {
    const refused = `<UpdateUserEmailResponse><UpdateUserEmailResult><response success="false" error="Access denied"/></UpdateUserEmailResult></UpdateUserEmailResponse>`
    expect(differences(check(candidateUsers, { updateAnswer: refused }))).toEqual([
      'value @success: true → false',
      'value @error:  → Access denied',
      'removed @message: e-mail of claykerlukenil6rr changed → undefined',
    ])
  })

  test('user data inside a text is replaced by its role; a text naming another user is not', () => {
    const roles = userRoles(check(baselineUsers), check(candidateUsers))
    expect(roles.same('/x/@message', `no user ${baselineUsers.bob.login} here`, `no user ${candidateUsers.bob.login} here`)).toBe(true)
    expect(roles.same('/x/@message', `no user ${baselineUsers.bob.login} here`, `no user ${candidateUsers.jane.login} here`)).toBe(false)
    expect(roles.same('/x/@message', `no user ${baselineUsers.bob.login} here`, `no user ${candidateUsers.bob.login} there`)).toBe(false)
  })

  test('a user the check only names in what it sends (no read of them) is known by that place', () => {
    const call = (login: string, answer: string): RecordedAnswer[] => [
      xml(
        'UpdateUserEmail',
        'call',
        `<UpdateUserEmail><authenticationTicket>***</authenticationTicket><UserName>${login}</UserName><NewEmailAddress>${NEW_EMAIL}</NewEmailAddress></UpdateUserEmail>`,
        `<r error="${answer}"/>`,
      ),
    ]
    const [b, c] = [baselineUsers.bob.login, candidateUsers.bob.login]
    expect(compareAnswers(call(b, `Access denied to ${b}`), call(c, `Access denied to ${c}`), noNoise)).toEqual([])
    expect(compareAnswers(call(b, `Access denied to ${b}`), call(c, `Access denied to ${candidateUsers.jane.login}`), noNoise)).toHaveLength(1)
    expect(compareAnswers(call(b, `Access denied to ${b}`), call(c, `Access denied`), noNoise)).toHaveLength(1)
  })

  test("a JSON value's type counts: a user's ID as a number on one side and a string on the other differs", () => {
    const rest = (id: string, user: User, step: string): RecordedAnswer => ({
      operation: 'GetUser',
      step,
      method: 'GET',
      path: `/v2/users/${id}`,
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({ data: { userId: Number(id), login: user.login } }),
      request: { contentType: '', body: '' },
    })
    const roles = userRoles([rest('109', baselineUsers.jane, 'snapshot')], [rest('1', candidateUsers.jane, 'snapshot')])
    expect(roles.same('$.data.userId', '109', '1')).toBe(true)
    expect(roles.same('$.data.userId', '109', '"1"')).toBe(false)
    expect(roles.same('$.data.login', `"${baselineUsers.jane.login}"`, `"${candidateUsers.jane.login}"`)).toBe(true)
  })

  test("a count of the user's own moves alike on both sides (open sessions: 1 → 0 and 31 → 30), also where a logout says so", () => {
    const info = (login: string, sessions: number, step: string): RecordedAnswer => ({
      operation: 'UserInfo',
      step,
      method: 'POST',
      path: '/os.asmx',
      status: 200,
      contentType: 'text/xml',
      body: `<r><LoginName>${login}</LoginName><OpenSessions>${sessions}</OpenSessions></r>`,
      request: { contentType: 'text/xml', body: `<UserInfo><LoginName>${login}</LoginName></UserInfo>` },
    })
    const logout = (left: number): RecordedAnswer => ({
      operation: 'Logout',
      step: 'call',
      method: 'POST',
      path: '/os.asmx',
      status: 200,
      contentType: 'text/xml',
      body: `<LogoutResult>${left}</LogoutResult>`,
      request: { contentType: 'text/xml', body: '<Logout><SessionID>***</SessionID></Logout>' },
    })
    const check = (login: string, before: number, left: number, after: number) => [
      info(login, before, 'snapshot'),
      logout(left),
      info(login, after, 'read back'),
    ]
    const [b, c] = ['janelle69a7r2dn', 'keatonpagaci3he7j']
    expect(compareAnswers(check(b, 1, 0, 0), check(c, 31, 30, 30), noNoise)).toEqual([])
    expect(compareAnswers(check(b, 1, 0, 0), check(c, 31, 29, 30), noNoise).map((d) => d.path)).toEqual(['/LogoutResult'])
    expect(compareAnswers(check(b, 1, 0, 0), check(c, 31, 30, 31), noNoise).map((d) => d.path)).toEqual(['/LogoutResult', '/r/OpenSessions'])
    // Identifiers are not counts: an ID off by the same amount is another user.
    const roles = userRoles(check(b, 1, 0, 0), check(c, 31, 30, 30))
    expect(roles.moved('/r/OpenSessions', '0', '30')).toBe(true)
    expect(roles.same('/r/UserID', '0', '30')).toBe(false)
  })
})
