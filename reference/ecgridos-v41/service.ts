/**
 * The live ECGridOS v4.1 service as the vendor's WSDL describes it (D1b): namespace `https://os.ecgrid.io/`, the
 * service `ECGridOS_x0020_API_x0020_v4` over SOAP 1.1, SOAP 1.2, HTTP GET and HTTP POST, and of its 221 operations
 * the four users need: Login, Logout, UserInfo, UserUpdate, with their types (UserIDInfo, AuthLevel, Status,
 * CellCarrier), names and order exactly as in the WSDL.
 *
 * The seed profile (D1) is served at the real path `/v4.1/prod/ECGridOS.asmx`; this one under LIVE_BASE, so that
 * one reference offers both: a target reaches it with its API baseUrl ending in LIVE_BASE (the reference target
 * does that itself, see `embeddedApis()`).
 */
import type { OperationSpec, ServiceSpec, XsdType } from '../asmx/types.ts'
import { AUTH_LEVELS, CELL_CARRIERS, STATUSES } from '../ecgrid/enums.ts'

export const LIVE_BASE = '/live'
export const LIVE_PATH = '/v4.1/prod/ECGridOS.asmx'

/** UserIDInfo's 20 elements, in WSDL order. */
export const USER_ID_INFO_V41_FIELDS: ReadonlyArray<readonly [string, XsdType]> = [
  ['UserID', 's:int'],
  ['LoginName', 's:string'],
  ['RecoveryQuestion', 's:string'],
  ['FirstName', 's:string'],
  ['LastName', 's:string'],
  ['Company', 's:string'],
  ['EMail', 's:string'],
  ['Phone', 's:string'],
  ['CellPhone', 's:string'],
  ['CellCarrier', 'tns:CellCarrier'],
  ['TimeZoneOffset', 's:short'],
  ['NetworkID', 's:int'],
  ['MailboxID', 's:int'],
  ['AuthLevel', 'tns:AuthLevel'],
  ['Created', 's:dateTime'],
  ['Modified', 's:dateTime'],
  ['LastLogin', 's:dateTime'],
  ['Status', 'tns:Status'],
  ['LockedOut', 's:boolean'],
  ['OpenSessions', 's:short'],
]

export const USER_UPDATE_PARAMS = [
  'SessionID',
  'UserID',
  'FirstName',
  'LastName',
  'Company',
  'EMail',
  'Phone',
  'CellPhone',
  'CellCarrier',
  'AuthLevel',
] as const

export const ECGRIDOS_V41_OPERATIONS: readonly OperationSpec[] = [
  { name: 'Login', params: ['LoginName', 'Password'], result: 's:string' },
  { name: 'Logout', params: ['SessionID'], result: 's:int' },
  { name: 'UserInfo', params: ['SessionID', 'UserID'], paramTypes: { UserID: 's:int' }, result: 'tns:UserIDInfo' },
  {
    name: 'UserUpdate',
    params: USER_UPDATE_PARAMS,
    paramTypes: { UserID: 's:int', CellCarrier: 'tns:CellCarrier', AuthLevel: 'tns:AuthLevel' },
    result: 's:boolean',
  },
]

export const ECGRIDOS_V41_SERVICE: ServiceSpec = {
  name: 'ECGridOS_x0020_API_x0020_v4',
  path: `${LIVE_BASE}${LIVE_PATH}`,
  namespace: 'https://os.ecgrid.io/',
  operations: ECGRIDOS_V41_OPERATIONS,
  types: [
    { kind: 'complex', name: 'UserIDInfo', fields: USER_ID_INFO_V41_FIELDS },
    { kind: 'enum', name: 'Status', values: STATUSES },
    { kind: 'enum', name: 'CellCarrier', values: CELL_CARRIERS },
    { kind: 'enum', name: 'AuthLevel', values: AUTH_LEVELS },
  ],
}
