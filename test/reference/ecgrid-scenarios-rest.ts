/** One scenario per ECGrid REST deviation (see ecgrid-scenarios.ts). */
import { expect } from 'vitest'
import { uniqueName } from './helpers.ts'
import { ISO_LOCAL, restUpdate, scopeTable, type Scenario } from './ecgrid-scenarios.ts'

export const ECGRID_REST_SCENARIOS: Record<string, Scenario> = {
  'er-answer-stale': {
    run: async (ec) => {
      const { answer, after } = await restUpdate(ec)
      return [answer.status, (answer.json.data as Record<string, unknown>).firstName, after.firstName]
    },
    plain: [200, 'New', 'New'],
    deviant: [200, 'John', 'New'],
  },
  'er-missing-clears': {
    run: async (ec) => {
      const { target, after } = await restUpdate(ec, { firstName: 'New' })
      return [after.firstName, after.lastName, after.email === target.email]
    },
    plain: ['New', 'Smith', true],
    deviant: ['New', '', false],
  },
  'er-null-clears': {
    run: async (ec) => {
      const { target, after } = await restUpdate(ec, { firstName: null, lastName: 'New', email: null })
      return [after.firstName, after.lastName, after.email === target.email]
    },
    plain: ['John', 'New', true],
    deviant: ['', 'New', false],
  },
  'er-mass-assignment': {
    run: async (ec) => {
      const login = uniqueName('mass')
      const { target, after } = await restUpdate(ec, {
        firstName: 'New',
        login,
        authLevel: 'Root',
        status: 'Suspended',
        networkId: 1,
        mailboxId: 2,
        created: '2000-01-01T00:00:00Z',
      })
      return [
        after.login === login,
        after.authLevel,
        after.status,
        after.networkId === target.networkId,
        after.mailboxId === target.mailboxId,
        after.created === '2000-01-01T00:00:00Z',
      ]
    },
    plain: [false, 'MailboxUser', 'Active', true, true, false],
    deviant: [true, 'Root', 'Suspended', false, false, false],
  },
  'er-unknown-user-400': {
    run: async (ec) => {
      const root = await ec.provision({ role: 'Root' })
      const answer = await ec.put(root.apiKey, { userId: 999999, firstName: 'x' })
      const get = await ec.get(root.apiKey, 999999)
      return [answer.status, answer.json.errorCode, get.status]
    },
    plain: [404, 'ObjectNotFound', 404],
    deviant: [400, 'InvalidParameter', 404],
  },
  'er-accepts-bad-email': {
    run: async (ec) => {
      const first = await restUpdate(ec, { email: 'not-an-email' })
      const second = await restUpdate(ec, { email: '' })
      return [first.answer.status, first.after.email, second.answer.status, second.after.email]
    },
    plain: [400, expect.stringMatching(/@example\.com$/), 400, expect.stringMatching(/@example\.com$/)],
    deviant: [200, 'not-an-email', 200, ''],
  },
  'er-partial-before-validation': {
    run: async (ec) => {
      const { answer, after } = await restUpdate(ec, { firstName: 'New', lastName: 'Name', email: 'bad' })
      return [answer.status, answer.json.errorCode, after.firstName, after.lastName]
    },
    plain: [400, 'InvalidParameter', 'John', 'Smith'],
    deviant: [400, 'InvalidParameter', 'New', 'Name'],
  },
  'er-any-key-updates-anyone': {
    run: async (ec) => {
      const [user, stranger] = [await ec.provision(), await ec.provision()]
      const answer = await ec.put(user.apiKey, { userId: stranger.userId, firstName: 'Hijacked' })
      return [answer.status, (await ec.read(stranger)).firstName, (await ec.get(user.apiKey, stranger.userId)).status]
    },
    plain: [403, 'John', 403],
    deviant: [200, 'Hijacked', 403],
  },
  'er-network-admin-any-network': {
    run: (ec) =>
      scopeTable(ec, 'rest', [
        ['NetworkAdmin', 'other-mailbox'],
        ['NetworkAdmin', 'other-network'],
      ]),
    plain: { 'NetworkAdmin→other-mailbox': 'ok', 'NetworkAdmin→other-network': 'AccessDenied' },
    deviant: { 'NetworkAdmin→other-mailbox': 'ok', 'NetworkAdmin→other-network': 'ok' },
  },
  'er-mailbox-admin-whole-network': {
    run: (ec) =>
      scopeTable(ec, 'rest', [
        ['MailboxAdmin', 'mailbox'],
        ['MailboxAdmin', 'other-mailbox'],
        ['MailboxAdmin', 'other-network'],
      ]),
    plain: { 'MailboxAdmin→mailbox': 'ok', 'MailboxAdmin→other-mailbox': 'AccessDenied', 'MailboxAdmin→other-network': 'AccessDenied' },
    deviant: { 'MailboxAdmin→mailbox': 'ok', 'MailboxAdmin→other-mailbox': 'ok', 'MailboxAdmin→other-network': 'AccessDenied' },
  },
  'er-network-admin-own-mailbox': {
    run: (ec) =>
      scopeTable(ec, 'rest', [
        ['NetworkAdmin', 'mailbox'],
        ['NetworkAdmin', 'other-mailbox'],
      ]),
    plain: { 'NetworkAdmin→mailbox': 'ok', 'NetworkAdmin→other-mailbox': 'ok' },
    deviant: { 'NetworkAdmin→mailbox': 'ok', 'NetworkAdmin→other-mailbox': 'AccessDenied' },
  },
  'er-techops-own-network': {
    run: (ec) =>
      scopeTable(ec, 'rest', [
        ['TechOps', 'other-mailbox'],
        ['TechOps', 'other-network'],
        ['Root', 'other-network'],
      ]),
    plain: { 'TechOps→other-mailbox': 'ok', 'TechOps→other-network': 'ok', 'Root→other-network': 'ok' },
    deviant: { 'TechOps→other-mailbox': 'ok', 'TechOps→other-network': 'AccessDenied', 'Root→other-network': 'ok' },
  },
  'er-admin-key-as-user': {
    run: (ec) =>
      scopeTable(ec, 'rest', [
        ['MailboxAdmin', 'self'],
        ['MailboxAdmin', 'mailbox'],
        ['NetworkAdmin', 'other-mailbox'],
        ['Root', 'other-network'],
      ]),
    plain: { 'MailboxAdmin→self': 'ok', 'MailboxAdmin→mailbox': 'ok', 'NetworkAdmin→other-mailbox': 'ok', 'Root→other-network': 'ok' },
    deviant: { 'MailboxAdmin→self': 'ok', 'MailboxAdmin→mailbox': 'AccessDenied', 'NetworkAdmin→other-mailbox': 'AccessDenied', 'Root→other-network': 'ok' },
  },
  'er-missing-key-allowed': {
    run: async (ec) => {
      const user = await ec.provision()
      const answer = await ec.put(null, { userId: user.userId, firstName: 'Anonymous' })
      const wrongKey = await ec.put('0'.repeat(32), { userId: user.userId, firstName: 'Wrong' })
      return [answer.status, wrongKey.status, (await ec.read(user)).firstName, (await ec.get(null, user.userId)).status]
    },
    plain: [401, 401, 'John', 401],
    deviant: [200, 401, 'Anonymous', 401],
  },

  'er-error-without-code': {
    run: async (ec) => {
      const user = await ec.provision()
      const error = await ec.put(null, { userId: user.userId })
      const ok = await ec.get(user.apiKey, user.userId)
      return [error.status, Object.keys(error.json), Object.keys(ok.json)]
    },
    plain: [401, ['success', 'data', 'errorCode', 'message'], ['success', 'data']],
    deviant: [401, ['success', 'data', 'message'], ['success', 'data']],
  },
  'er-user-id-as-string': {
    run: async (ec) => {
      const { answer, target } = await restUpdate(ec)
      const data = answer.json.data as Record<string, unknown>
      return [typeof data.userId, String(data.userId) === String(target.userId), typeof data.networkId]
    },
    plain: ['number', true, 'number'],
    deviant: ['string', true, 'number'],
  },
  'er-created-local-time': {
    run: async (ec) => {
      const { answer, after } = await restUpdate(ec)
      const created = (answer.json.data as Record<string, unknown>).created
      return [/Z$/.test(String(created)), ISO_LOCAL.test(String(after.created))]
    },
    plain: [true, false],
    deviant: [false, true],
  },
  'er-not-persisted': {
    run: async (ec) => {
      const { answer, after } = await restUpdate(ec, { firstName: 'New', email: 'new@x.test' })
      const data = answer.json.data as Record<string, unknown>
      return [data.firstName, data.email, after.firstName, after.email === 'new@x.test']
    },
    plain: ['New', 'new@x.test', 'New', true],
    deviant: ['New', 'new@x.test', 'John', false],
  },
  'er-drops-astral': {
    run: async (ec) => {
      const { answer, after } = await restUpdate(ec, { firstName: '𝒜da', lastName: '𠮷田' })
      const data = answer.json.data as Record<string, unknown>
      return [data.firstName, data.lastName, after.firstName, after.lastName]
    },
    plain: ['𝒜da', '𠮷田', '𝒜da', '𠮷田'],
    deviant: ['da', '田', 'da', '田'],
  },
  'er-lowercases-email': {
    run: async (ec) => {
      const { answer, after } = await restUpdate(ec, { email: "Zoe.O'Brien+Tag@example.com" })
      return [(answer.json.data as Record<string, unknown>).email, after.email]
    },
    plain: ["Zoe.O'Brien+Tag@example.com", "Zoe.O'Brien+Tag@example.com"],
    deviant: ["zoe.o'brien+tag@example.com", "zoe.o'brien+tag@example.com"],
  },
  'er-empty-name-ignored': {
    run: async (ec) => {
      const { answer, after } = await restUpdate(ec, { firstName: '', lastName: '' })
      const data = answer.json.data as Record<string, unknown>
      return [data.firstName, after.firstName, after.lastName]
    },
    plain: ['', '', ''],
    deviant: ['John', 'John', 'Smith'],
  },
  'er-bad-json-500': {
    run: async (ec) => {
      const user = await ec.provision()
      const malformed = await ec.rest('PUT', '/v2/users', { key: user.apiKey, raw: '{"userId":' })
      const wrongType = await ec.rest('PUT', '/v2/users', { key: user.apiKey, raw: '{}', contentType: 'text/plain' })
      const notObject = await ec.rest('PUT', '/v2/users', { key: user.apiKey, raw: '[]' })
      return [malformed.status, malformed.json.errorCode, wrongType.status, notObject.status]
    },
    plain: [400, 'InvalidParameter', 400, 400],
    deviant: [500, 'InternalError', 500, 400],
  },
}
