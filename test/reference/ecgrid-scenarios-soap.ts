/** One scenario per ECGridOS deviation (see ecgrid-scenarios.ts). */
import { wsdlFacts } from '../../src/compare/wsdl.ts'
import { DAY_MS } from './helpers.ts'
import { EO_PATH } from './ecgrid-helpers.ts'
import { adminAndTarget, instantMs, scopeTable, shape, soapUpdate, type Scenario } from './ecgrid-scenarios.ts'

const XSD = 'http://www.w3.org/2001/XMLSchema'

export const ECGRIDOS_SCENARIOS: Record<string, Scenario> = {
  'eo-answer-stale': {
    run: async (ec) => {
      const { answer, info } = await soapUpdate(ec)
      return [answer.FirstName, info.FirstName]
    },
    plain: ['New', 'New'],
    deviant: ['John', 'New'],
  },
  'eo-resets-created': {
    run: async (ec) => {
      const { target, session } = await adminAndTarget(ec)
      const before = (await ec.userInfo(session, target.userId)).Created
      await ec.c.advanceClock(DAY_MS)
      const answer = await ec.call('1.2', 'UserUpdate', { SessionID: session, UserID: String(target.userId), FirstName: 'New' })
      const after = (await ec.userInfo(session, target.userId)).Created
      return [(answer.result as Record<string, string>).Created === before, after === before, shape(after)]
    },
    plain: [true, true, 'xs:dateTime'],
    deviant: [false, false, 'xs:dateTime'],
  },
  'eo-changes-status': {
    run: async (ec) => {
      const { answer, info } = await soapUpdate(ec)
      return [answer.Status, info.Status]
    },
    plain: ['Active', 'Active'],
    deviant: ['Development', 'Development'],
  },
  'eo-answer-wrong-user-id': {
    run: async (ec) => {
      const { admin, target, answer, info } = await soapUpdate(ec)
      const who = (id: string | undefined): string => (id === String(target.userId) ? 'target' : id === String(admin.userId) ? 'caller' : String(id))
      return [who(answer.UserID), who(info.UserID), answer.FirstName]
    },
    plain: ['target', 'target', 'New'],
    deviant: ['caller', 'target', 'New'],
  },
  'eo-not-persisted': {
    run: async (ec) => {
      const { answer, info } = await soapUpdate(ec, { FirstName: 'New', Email: 'new@x.test' })
      return [answer.FirstName, answer.Email, info.FirstName, info.Email === 'new@x.test']
    },
    plain: ['New', 'new@x.test', 'New', true],
    deviant: ['New', 'new@x.test', 'John', false],
  },
  'eo-created-not-datetime': {
    run: async (ec) => {
      const { answer, info } = await soapUpdate(ec)
      return [shape(answer.Created), shape(info.Created)]
    },
    plain: ['xs:dateTime', 'xs:dateTime'],
    deviant: ['dd/MM/yyyy HH:mm', 'dd/MM/yyyy HH:mm'],
  },
  'eo-created-local-time': {
    run: async (ec) => {
      const { target, answer, info } = await soapUpdate(ec)
      const rest = String((await ec.read(target)).created)
      // Hours between the instant SOAP names (unzoned = UTC) and the one REST names.
      const hours = (soap: string | undefined) => (instantMs(soap) - Date.parse(rest)) / 3_600_000
      return [shape(answer.Created), hours(answer.Created), hours(info.Created)]
    },
    plain: ['xs:dateTime', 0, 0],
    deviant: ['xs:dateTime', 2, 2],
  },
  'eo-authlevel-as-number': {
    run: async (ec) => {
      const { admin, session, answer } = await soapUpdate(ec)
      return [answer.AuthLevel, (await ec.userInfo(session, admin.userId)).AuthLevel]
    },
    plain: ['MailboxUser', 'MailboxAdmin'],
    deviant: ['7', '6'],
  },
  'eo-logged-out-session-valid': {
    run: async (ec) => {
      const user = await ec.provision()
      const session = await ec.login(user)
      const out = await ec.call('1.1', 'Logout', { SessionID: session })
      const after = await ec.call('1.2', 'UserUpdate', { SessionID: session, UserID: String(user.userId), FirstName: 'After' })
      return [out.result, after.fault?.errorCode ?? 'ok']
    },
    plain: ['true', 'Authentication'],
    deviant: ['true', 'ok'],
  },
  'eo-unknown-user-empty-answer': {
    run: async (ec) => {
      const session = await ec.login(await ec.provision({ role: 'Root' }))
      const answer = await ec.call('1.1', 'UserUpdate', { SessionID: session, UserID: '999999', FirstName: 'x' })
      return [
        answer.status,
        answer.fault?.errorCode ?? null,
        answer.body.includes('<UserUpdateResponse xmlns="http://www.ecgridos.net/"><UserUpdateResult /></UserUpdateResponse>'),
      ]
    },
    plain: [500, 'ObjectNotFound', false],
    deviant: [200, null, true],
  },
  'eo-anyone-updates-anyone': {
    run: async (ec) => {
      const [user, stranger] = [await ec.provision(), await ec.provision()]
      const session = await ec.login(user)
      const answer = await ec.call('1.2', 'UserUpdate', { SessionID: session, UserID: String(stranger.userId), FirstName: 'Hijacked' })
      const info = await ec.call('1.1', 'UserInfo', { SessionID: session, UserID: String(stranger.userId) })
      const own = await ec.userInfo(await ec.login(stranger), stranger.userId)
      return [answer.fault?.errorCode ?? 'ok', own.FirstName, info.fault?.errorCode]
    },
    plain: ['Authorization', 'John', 'Authorization'],
    deviant: ['ok', 'Hijacked', 'Authorization'],
  },
  'eo-network-admin-any-network': {
    run: (ec) =>
      scopeTable(ec, 'soap', [
        ['NetworkAdmin', 'other-mailbox'],
        ['NetworkAdmin', 'other-network'],
        ['MailboxAdmin', 'other-network'],
      ]),
    plain: { 'NetworkAdmin→other-mailbox': 'ok', 'NetworkAdmin→other-network': 'Authorization', 'MailboxAdmin→other-network': 'Authorization' },
    deviant: { 'NetworkAdmin→other-mailbox': 'ok', 'NetworkAdmin→other-network': 'ok', 'MailboxAdmin→other-network': 'Authorization' },
  },
  'eo-mailbox-admin-whole-network': {
    run: (ec) =>
      scopeTable(ec, 'soap', [
        ['MailboxAdmin', 'mailbox'],
        ['MailboxAdmin', 'other-mailbox'],
        ['MailboxAdmin', 'other-network'],
      ]),
    plain: { 'MailboxAdmin→mailbox': 'ok', 'MailboxAdmin→other-mailbox': 'Authorization', 'MailboxAdmin→other-network': 'Authorization' },
    deviant: { 'MailboxAdmin→mailbox': 'ok', 'MailboxAdmin→other-mailbox': 'ok', 'MailboxAdmin→other-network': 'Authorization' },
  },
  'eo-admins-only-below': {
    run: (ec) =>
      scopeTable(ec, 'soap', [
        ['MailboxAdmin', 'self'],
        ['NetworkAdmin', 'self'],
        ['MailboxUser', 'self'],
        ['MailboxAdmin', 'mailbox'],
      ]),
    plain: { 'MailboxAdmin→self': 'ok', 'NetworkAdmin→self': 'ok', 'MailboxUser→self': 'ok', 'MailboxAdmin→mailbox': 'ok' },
    deviant: { 'MailboxAdmin→self': 'Authorization', 'NetworkAdmin→self': 'Authorization', 'MailboxUser→self': 'ok', 'MailboxAdmin→mailbox': 'ok' },
  },
  'eo-fault-http-200': {
    run: async (ec) => {
      const fault = await ec.call('1.1', 'UserUpdate', { SessionID: 'x', UserID: '1' })
      const fault12 = await ec.call('1.2', 'Login', { UserName: 'x', Password: 'y' })
      const framework = await ec.c.raw('POST', EO_PATH, {
        headers: { 'content-type': 'text/plain', soapaction: '"http://www.ecgridos.net/Login"' },
        body: '<x/>',
      })
      return [fault.status, fault.fault?.errorCode, fault12.status, framework.status]
    },
    plain: [500, 'Authentication', 500, 415],
    deviant: [200, 'Authentication', 200, 415],
  },
  'eo-soap12-as-soap11': {
    run: async (ec) => {
      const answer = await ec.send('1.2', 'Login', { UserName: 'nobody', Password: 'x' })
      const user = await ec.provision()
      const ok = await ec.send('1.2', 'Login', { UserName: user.login, Password: user.password })
      return [answer.contentType, answer.body.includes('http://www.w3.org/2003/05/soap-envelope'), ok.contentType]
    },
    plain: ['application/soap+xml; charset=utf-8', true, 'application/soap+xml; charset=utf-8'],
    deviant: ['text/xml; charset=utf-8', false, 'text/xml; charset=utf-8'],
  },
  'eo-wsdl-drops-email': {
    run: async (ec) => {
      const wsdl = (await ec.c.raw('GET', `${EO_PATH}?wsdl`)).body
      const element = wsdl.slice(wsdl.indexOf('<s:element name="UserUpdate">'), wsdl.indexOf('<s:element name="UserUpdateResponse">'))
      const { answer } = await soapUpdate(ec, { Email: 'still@works.test' })
      return [element.includes('name="Email"'), element.includes('name="LastName"'), answer.Email]
    },
    plain: [true, true, 'still@works.test'],
    deviant: [false, true, 'still@works.test'],
  },
  'eo-wsdl-info-lacks-email': {
    run: async (ec) => {
      const facts = wsdlFacts((await ec.c.raw('GET', `${EO_PATH}?WSDL`)).body)
      const { answer } = await soapUpdate(ec, { Email: 'still@answered.test' })
      return [facts.get('type UserIDInfo/Email type'), facts.get('type UserIDInfo/LastName type'), answer.Email]
    },
    plain: [`{${XSD}}string`, `{${XSD}}string`, 'still@answered.test'],
    deviant: [undefined, `{${XSD}}string`, 'still@answered.test'],
  },
  'eo-wsdl-user-id-as-string': {
    run: async (ec) => {
      const facts = wsdlFacts((await ec.c.raw('GET', `${EO_PATH}?WSDL`)).body)
      return [facts.get('element UserUpdate/UserID type'), facts.get('element UserInfo/UserID type')]
    },
    plain: [`{${XSD}}int`, `{${XSD}}int`],
    deviant: [`{${XSD}}string`, `{${XSD}}int`],
  },
  'eo-wsdl-auth-level-lacks-value': {
    run: async (ec) => {
      const facts = wsdlFacts((await ec.c.raw('GET', `${EO_PATH}?WSDL`)).body)
      const { answer } = await soapUpdate(ec)
      return [facts.get('type AuthLevel value MailboxUser'), facts.get('type AuthLevel value MailboxAdmin'), answer.AuthLevel]
    },
    plain: ['allowed', 'allowed', 'MailboxUser'],
    deviant: [undefined, 'allowed', 'MailboxUser'],
  },
  'eo-lowercases-email': {
    run: async (ec) => {
      const { answer, info } = await soapUpdate(ec, { Email: "Zoe.O'Brien+Tag@example.com" })
      return [answer.Email, info.Email]
    },
    plain: ["Zoe.O'Brien+Tag@example.com", "Zoe.O'Brien+Tag@example.com"],
    deviant: ["zoe.o'brien+tag@example.com", "zoe.o'brien+tag@example.com"],
  },
  'eo-names-latin1': {
    run: async (ec) => {
      const { answer, info } = await soapUpdate(ec, { FirstName: 'Zoë Łukasz', LastName: '𠮷田' })
      return [answer.FirstName, answer.LastName, info.FirstName, info.LastName]
    },
    plain: ['Zoë Łukasz', '𠮷田', 'Zoë Łukasz', '𠮷田'],
    deviant: ['Zoë ?ukasz', '??', 'Zoë ?ukasz', '??'],
  },
  'eo-same-values-fault': {
    run: async (ec) => {
      const user = await ec.provision()
      const session = await ec.login(user)
      const same = await ec.call('1.1', 'UserUpdate', {
        SessionID: session,
        UserID: String(user.userId),
        FirstName: user.firstName,
        LastName: user.lastName,
        Email: user.email,
      })
      const changed = await ec.call('1.1', 'UserUpdate', {
        SessionID: session,
        UserID: String(user.userId),
        FirstName: 'Other',
        LastName: user.lastName,
        Email: user.email,
      })
      return [same.status, same.fault ?? 'ok', changed.status]
    },
    plain: [200, 'ok', 200],
    deviant: [500, { code: 'soap:Client', reason: 'Nothing to update', errorCode: 'InvalidParameter' }, 200],
  },
}
