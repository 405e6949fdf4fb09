/** infoRouter's operations: the declared signatures (exact parameter names) and the handler table. */
import type { OperationSpec, ServiceSpec } from '../../asmx/types.ts'
import type { IrHandler } from '../context.ts'
import { authenticateUser } from './authenticate-user.ts'
import { getUser } from './get-user.ts'
import { logOut } from './log-out.ts'
import { updateUserContactInfo } from './update-user-contact-info.ts'
import { updateUserEmail } from './update-user-email.ts'

export const INFOROUTER_OPERATIONS: readonly OperationSpec[] = [
  { name: 'AuthenticateUser', params: ['UID', 'PWD'] },
  { name: 'GetUser', params: ['authenticationTicket', 'UserName'] },
  { name: 'UpdateUserEmail', params: ['authenticationTicket', 'UserName', 'NewEmailAddress'] },
  { name: 'UpdateUserContactInfo', params: ['authenticationTicket', 'userName', 'emailAddress', 'mobileNumber'] },
  { name: 'LogOut', params: ['AuthenticationTicket'] },
]

export const INFOROUTER_SERVICE: ServiceSpec = {
  name: 'srv',
  path: '/srv.asmx',
  namespace: 'http://tempuri.org/',
  operations: INFOROUTER_OPERATIONS,
}

export const INFOROUTER_HANDLERS: Readonly<Record<string, IrHandler>> = {
  AuthenticateUser: authenticateUser,
  GetUser: getUser,
  UpdateUserEmail: updateUserEmail,
  UpdateUserContactInfo: updateUserContactInfo,
  LogOut: logOut,
}
