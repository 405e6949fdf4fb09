/**
 * One scenario per infoRouter data deviation (reference/deviations/inforouter-data.ts): `run` observes what the
 * deviation breaks, `plain` is what the faithful reference gives, `deviant` what the deviation gives.
 */
import { wsdlFacts } from '../../src/compare/wsdl.ts'
import type { RefClient } from './helpers.ts'

export interface IrScenario {
  readonly run: (c: RefClient) => Promise<unknown>
  readonly plain: unknown
  readonly deviant: unknown
}

const XSD = 'http://www.w3.org/2001/XMLSchema'

export const INFOROUTER_DATA_SCENARIOS: Record<string, IrScenario> = {
  'ir-wsdl-email-lacks-address': {
    run: async (c) => {
      const facts = wsdlFacts((await c.raw('GET', '/srv.asmx?WSDL')).body)
      const jane = await c.provision()
      const ticket = await c.login(jane)
      const answer = await c.call('soap11', 'UpdateUserEmail', { authenticationTicket: ticket, UserName: jane.userName, NewEmailAddress: 'read@anyway.test' })
      return [
        facts.get('element UpdateUserEmail sequence'),
        facts.get('element UpdateUserEmail/NewEmailAddress type'),
        answer.attrs.success,
        (await c.readUser(ticket, jane.userName)).Email,
      ]
    },
    plain: ['authenticationTicket, UserName, NewEmailAddress', `{${XSD}}string`, 'true', 'read@anyway.test'],
    deviant: ['authenticationTicket, UserName', undefined, 'true', 'read@anyway.test'],
  },
  'ir-lowercases-email': {
    run: async (c) => {
      const jane = await c.provision()
      const ticket = await c.login(jane)
      await c.call('http-post', 'UpdateUserEmail', { authenticationTicket: ticket, UserName: jane.userName, NewEmailAddress: "Zoe.O'Brien+Tag@example.com" })
      const first = (await c.readUser(ticket, jane.userName)).Email
      await c.call('soap12', 'UpdateUserContactInfo', {
        authenticationTicket: ticket,
        userName: jane.userName,
        emailAddress: 'Ève.D+X@example.com',
        mobileNumber: '07700900123',
      })
      return [first, (await c.readUser(ticket, jane.userName)).Email]
    },
    plain: ["Zoe.O'Brien+Tag@example.com", 'Ève.D+X@example.com'],
    deviant: ["zoe.o'brien+tag@example.com", 'ève.d+x@example.com'],
  },
  'ir-mobile-as-number': {
    run: async (c) => {
      const jane = await c.provision()
      const ticket = await c.login(jane)
      const read = async (mobileNumber: string) => {
        await c.call('http-get', 'UpdateUserContactInfo', { authenticationTicket: ticket, userName: jane.userName, emailAddress: jane.email, mobileNumber })
        return (await c.readUser(ticket, jane.userName)).MobileNumber
      }
      return [await read('07700900123'), await read('+44 7700 900123')]
    },
    plain: ['07700900123', '+44 7700 900123'],
    deviant: ['7700900123', '+44 7700 900123'],
  },
}
