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
      return [facts.get('element UpdateUserEmail sequence'), facts.get('element UpdateUserEmail/NewEmailAddress type'), answer.attrs.success, (await c.readUser(ticket, jane.userName)).Email]
    },
    plain: ['authenticationTicket, UserName, NewEmailAddress', `{${XSD}}string`, 'true', 'read@anyway.test'],
    deviant: ['authenticationTicket, UserName', undefined, 'true', 'read@anyway.test'],
  },
}
