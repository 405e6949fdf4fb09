/** ECGridOS's operations (D1, the documented page family): signatures, types and the handler table. */
import type { OperationSpec, ServiceSpec } from '../../asmx/types.ts'
import { AUTH_LEVELS, STATUSES } from '../../ecgrid/enums.ts'
import type { EoHandler } from '../context.ts'
import { USER_ID_INFO_FIELDS } from '../user-info.ts'
import { login } from './login.ts'
import { logout } from './logout.ts'
import { userInfo } from './user-info.ts'
import { userUpdate } from './user-update.ts'

export const ECGRIDOS_OPERATIONS: readonly OperationSpec[] = [
  {
    name: 'Login',
    params: ['UserName', 'Password', 'SenderSolution', 'SenderVersion', 'SenderCompanyName', 'SenderContact', 'SenderContactEmail'],
    result: 's:string',
  },
  { name: 'Logout', params: ['SessionID'], result: 's:boolean' },
  { name: 'UserInfo', params: ['SessionID', 'UserID'], paramTypes: { UserID: 's:int' }, result: 'tns:UserIDInfo' },
  {
    name: 'UserUpdate',
    params: ['SessionID', 'UserID', 'FirstName', 'LastName', 'Email'],
    paramTypes: { UserID: 's:int' },
    result: 'tns:UserIDInfo',
  },
]

export const ECGRIDOS_SERVICE: ServiceSpec = {
  name: 'ECGridOS',
  path: '/v4.1/prod/ECGridOS.asmx',
  namespace: 'http://www.ecgridos.net/',
  operations: ECGRIDOS_OPERATIONS,
  types: [
    { kind: 'complex', name: 'UserIDInfo', fields: USER_ID_INFO_FIELDS },
    { kind: 'enum', name: 'AuthLevel', values: AUTH_LEVELS },
    { kind: 'enum', name: 'Status', values: STATUSES },
  ],
  httpProtocols: false,
}

export const ECGRIDOS_HANDLERS: Readonly<Record<string, EoHandler>> = {
  Login: login,
  Logout: logout,
  UserInfo: userInfo,
  UserUpdate: userUpdate,
}
