/** LogicMelon's Administration service, `/json/` flavour (D5): one `Request` parameter per operation, the handler table. */
import type { OperationSpec, SchemaType, ServiceSpec, XsdType } from '../../asmx/types.ts'
import type { LmHandler } from '../context.ts'
import { CUSER_FIELDS } from '../cuser.ts'
import { userAdd } from './user-add.ts'
import { userDelete } from './user-delete.ts'
import { userList } from './user-list.ts'
import { userUpdate } from './user-update.ts'

const CREDENTIALS: ReadonlyArray<readonly [string, XsdType]> = [
  ['sCultureID', 's:string'],
  ['sAPIKey', 's:string'],
  ['sUsername', 's:string'],
  ['sPassword', 's:string'],
]

const request = (name: string, fields: ReadonlyArray<readonly [string, XsdType]>): SchemaType => ({
  kind: 'complex',
  name,
  fields: [...CREDENTIALS, ...fields],
})

const operation = (name: string, result: XsdType): OperationSpec => ({
  name,
  params: ['Request'],
  paramTypes: { Request: `tns:${name}Request` },
  result,
})

export const LOGICMELON_SERVICE: ServiceSpec = {
  name: 'Administration',
  path: '/json/Administration.asmx',
  namespace: 'http://api.logicmelon.com/',
  operations: [
    operation('UserList', 'tns:ArrayOfCUser'),
    operation('UserUpdate', 'tns:CUser'),
    operation('UserAdd', 'tns:CUser'),
    operation('UserDelete', 's:boolean'),
  ],
  types: [
    { kind: 'complex', name: 'CUser', fields: CUSER_FIELDS },
    request('UserListRequest', [
      ['sStartOrganisation', 's:string'],
      ['sUserIdentifier', 's:string'],
    ]),
    request('UserUpdateRequest', [['User', 'tns:CUser']]),
    request('UserAddRequest', [
      ['sParentOrganisationIdentifier', 's:string'],
      ['User', 'tns:CUser'],
    ]),
    request('UserDeleteRequest', [['User', 'tns:CUser']]),
    { kind: 'array', name: 'ArrayOfCUser', item: 'CUser', itemType: 'tns:CUser' },
  ],
  httpProtocols: false,
}

export const LOGICMELON_HANDLERS: Readonly<Record<string, LmHandler>> = {
  UserList: userList,
  UserUpdate: userUpdate,
  UserAdd: userAdd,
  UserDelete: userDelete,
}
