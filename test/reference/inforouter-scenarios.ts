/**
 * Scenarios of the infoRouter deviations found by looking at headers and at expired tickets (see deviations.test.ts
 * for the rest): `run` observes the behaviour, `plain` is the faithful reference's, `deviant` the deviation's.
 */
import { TICKET_INVALID, type RefClient } from './helpers.ts'

export interface IrScenario {
  readonly run: (c: RefClient) => Promise<unknown>
  readonly plain: unknown
  readonly deviant: unknown
}

const AUTH_FAILED = '[900] Authentication failed'

/** Ages a ticket past its 30-day sliding expiry through the control endpoint. */
async function expire(c: RefClient, ticket: string): Promise<number> {
  return (await c.control('POST', '/__reference/inforouter/sessions/expiry', { ticket })).status
}

const cookieOf = (headers: Record<string, string | string[] | undefined>): string => [headers['set-cookie'] ?? []].flat().join('; ')

export const INFOROUTER_HEADER_SCENARIOS: Record<string, IrScenario> = {
  'ir-login-cookie-password': {
    run: async (c) => {
      const jane = await c.provision({ password: 'p@ss word+1' })
      const answers = [
        await c.send('http-get', 'AuthenticateUser', { UID: jane.userName, PWD: jane.password }),
        await c.send('soap12', 'AuthenticateUser', { UID: jane.userName, PWD: jane.password }),
      ]
      return answers.map((a) => cookieOf(a.headers).includes(encodeURIComponent(`${jane.userName}:${jane.password}`)))
    },
    plain: [false, false],
    deviant: [true, true],
  },
  'ir-session-cookie-of-user': {
    run: async (c) => {
      const [jane, admin] = [await c.provision(), await c.provision({ role: 'sysadmin' })]
      const [janeTicket, adminTicket] = [await c.login(jane), await c.login(admin)]
      const read = await c.send('soap11', 'GetUser', { authenticationTicket: adminTicket, UserName: jane.userName })
      return { janeTicketInCookie: cookieOf(read.headers).includes(janeTicket), status: read.status }
    },
    plain: { janeTicketInCookie: false, status: 200 },
    deviant: { janeTicketInCookie: true, status: 200 },
  },
  'ir-tickets-never-expire': {
    run: async (c) => {
      const jane = await c.provision()
      const ticket = await c.login(jane)
      const expired = await expire(c, ticket)
      const answer = await c.call('http-post', 'UpdateUserEmail', { authenticationTicket: ticket, UserName: jane.userName, NewEmailAddress: 'late@x.test' })
      return { expired, answer: answer.attrs }
    },
    plain: { expired: 204, answer: { success: 'false', error: TICKET_INVALID } },
    deviant: { expired: 204, answer: { success: 'true', error: '' } },
  },
  'ir-expired-ticket-900': {
    run: async (c) => {
      const jane = await c.provision()
      const [old, other] = [await c.login(jane), await c.login(jane)]
      await expire(c, old)
      await c.call('http-get', 'LogOut', { AuthenticationTicket: other })
      const call = (ticket: string) =>
        c.call('soap11', 'UpdateUserContactInfo', { authenticationTicket: ticket, userName: jane.userName, emailAddress: 'x@x.test', mobileNumber: '1' })
      return { expired: (await call(old)).attrs.error, loggedOut: (await call(other)).attrs.error }
    },
    plain: { expired: TICKET_INVALID, loggedOut: TICKET_INVALID },
    deviant: { expired: AUTH_FAILED, loggedOut: TICKET_INVALID },
  },
}
