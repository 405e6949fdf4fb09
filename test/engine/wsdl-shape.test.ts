import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, test } from 'vitest'
import { buildWsdl } from '../../reference/asmx/wsdl.ts'
import type { SchemaType, ServiceSpec, XsdType } from '../../reference/asmx/types.ts'
import { ECGRIDOS_SERVICE } from '../../reference/ecgridos/operations/index.ts'
import { INFOROUTER_SERVICE } from '../../reference/inforouter/operations/index.ts'
import { LOGICMELON_SERVICE } from '../../reference/logicmelon/operations/index.ts'
import { PROJECT_ROOT } from '../../src/paths.ts'
import { loadApi } from '../../src/spec/load-api.ts'
import type { ApiDescription } from '../../src/spec/model.ts'
import { SourceFile } from '../../src/yaml/source.ts'
import { wsdlShapeOf } from '../../src/engine/wsdl-shape-check.ts'

const api = (name: string): ApiDescription => {
  const file = resolve(PROJECT_ROOT, 'specs', name, 'api.yaml')
  const loaded = loadApi(SourceFile.parse(readFileSync(file, 'utf8'), file))
  if (!loaded.api) throw new Error(loaded.errors.map((e) => e.describe()).join('\n'))
  return loaded.api
}

const SOAP_APIS: ReadonlyArray<readonly [string, ServiceSpec]> = [
  ['ecgridos', ECGRIDOS_SERVICE],
  ['logicmelon', LOGICMELON_SERVICE],
  ['inforouter', INFOROUTER_SERVICE],
]

const wsdl = (service: ServiceSpec) => buildWsdl(service, 'http://127.0.0.1:1')

/** The service with one field of one complex type replaced (`type` undefined: removed). */
function withField(service: ServiceSpec, typeName: string, field: string, type?: XsdType): ServiceSpec {
  const types = (service.types ?? []).map((t): SchemaType => {
    if (t.kind !== 'complex' || t.name !== typeName) return t
    const fields = type === undefined ? t.fields.filter(([n]) => n !== field) : t.fields.map(([n, ft]) => [n, n === field ? type : ft] as const)
    return { ...t, fields }
  })
  return { ...service, types }
}

function withParam(service: ServiceSpec, operation: string, param: string, type?: XsdType): ServiceSpec {
  return {
    ...service,
    operations: service.operations.map((op) => {
      if (op.name !== operation) return op
      if (type === undefined) return { ...op, params: op.params.filter((p) => p !== param) }
      return { ...op, paramTypes: { ...op.paramTypes, [param]: type } }
    }),
  }
}

describe('the documented shape against the reference WSDLs', () => {
  test.each(SOAP_APIS)('%s: every operation of api.yaml is described as documented (no problem)', (name, service) => {
    const described = api(name)
    for (const op of Object.keys(described.operations)) expect(wsdlShapeOf(wsdl(service), described, op), op).toEqual([])
  })
})

describe('what the shape check finds, whatever a call sends', () => {
  const eo = api('ecgridos')
  const lm = api('logicmelon')
  const ir = api('inforouter')

  test('a UserIDInfo without Email: the answer lacks a documented member', () => {
    const problems = wsdlShapeOf(wsdl(withField(ECGRIDOS_SERVICE, 'UserIDInfo', 'Email')), eo, 'UserUpdate')
    expect(problems).toEqual([
      expect.stringMatching(
        /^WSDL_SHAPE UserUpdateResponse\/UserUpdateResult\/Email: the WSDL declares no Email member \(it declares: UserID, Login, FirstName/,
      ),
    ])
    expect(wsdlShapeOf(wsdl(withField(ECGRIDOS_SERVICE, 'UserIDInfo', 'Email')), eo, 'UserInfo')).toHaveLength(1)
  })

  test('a CUser whose UserID is a string, whose flag is a string: wrong XSD types', () => {
    const problems = wsdlShapeOf(
      wsdl(withField(withField(LOGICMELON_SERVICE, 'CUser', 'UserID', 's:string'), 'CUser', 'BBDLiveAdvertEmail', 's:string')),
      lm,
      'UserUpdate',
    )
    expect(problems).toContain('WSDL_SHAPE UserUpdate/Request/User/UserID: documented as xs:int, the WSDL types it xs:string')
    expect(problems).toContain('WSDL_SHAPE UserUpdateResponse/UserUpdateResult/UserID: documented as xs:int, the WSDL types it xs:string')
    expect(problems).toContain('WSDL_SHAPE UserUpdate/Request/User/BBDLiveAdvertEmail: documented as xs:boolean, the WSDL types it xs:string')
  })

  test('UserList answers an array of CUser: a CUser without Mobile is found through the array', () => {
    expect(wsdlShapeOf(wsdl(withField(LOGICMELON_SERVICE, 'CUser', 'Mobile')), lm, 'UserList')).toEqual([
      expect.stringMatching(/^WSDL_SHAPE UserListResponse\/UserListResult\/CUser\/Mobile: the WSDL declares no Mobile member/),
    ])
  })

  test('a request member the call need not send: UpdateUserEmail without NewEmailAddress, UserUpdate with a string UserID', () => {
    expect(wsdlShapeOf(wsdl(withParam(INFOROUTER_SERVICE, 'UpdateUserEmail', 'NewEmailAddress')), ir, 'UpdateUserEmail')).toEqual([
      expect.stringMatching(/^WSDL_SHAPE UpdateUserEmail\/NewEmailAddress: the WSDL declares no NewEmailAddress member .*cannot send it$/),
    ])
    expect(wsdlShapeOf(wsdl(withParam(ECGRIDOS_SERVICE, 'UserUpdate', 'UserID', 's:string')), eo, 'UserUpdate')).toEqual([
      'WSDL_SHAPE UserUpdate/UserID: documented as xs:int, the WSDL types it xs:string',
    ])
  })

  test('an enumeration missing a documented value; a wrong namespace; a WSDL that is not XML', () => {
    const service: ServiceSpec = {
      ...ECGRIDOS_SERVICE,
      types: (ECGRIDOS_SERVICE.types ?? []).map((t) =>
        t.kind === 'enum' && t.name === 'AuthLevel' ? { ...t, values: t.values.filter((v) => v !== 'MailboxUser') } : t,
      ),
    }
    expect(wsdlShapeOf(wsdl(service), eo, 'UserUpdate')).toEqual([
      "WSDL_SHAPE UserUpdateResponse/UserUpdateResult/AuthLevel: the WSDL's AuthLevel does not allow MailboxUser; a generated client cannot read it",
    ])
    expect(wsdlShapeOf(wsdl({ ...ECGRIDOS_SERVICE, namespace: 'https://os.ecgrid.io/' }), eo, 'UserUpdate')).toEqual([
      'WSDL_SHAPE targetNamespace: documented http://www.ecgridos.net/, the WSDL says https://os.ecgrid.io/',
    ])
    expect(wsdlShapeOf('<html>', eo, 'UserUpdate')).toEqual([expect.stringMatching(/^WSDL_SHAPE the WSDL is not XML/)])
  })

  test('allowed: more members, more values, an int declared long, an enumeration declared as a plain string', () => {
    const more = withField(withField(ECGRIDOS_SERVICE, 'UserIDInfo', 'UserID', 'tns:Long' as XsdType), 'UserIDInfo', 'Status', 's:string')
    const extra: ServiceSpec = {
      ...more,
      types: [
        ...(more.types ?? []).map(
          (t): SchemaType => (t.kind === 'complex' && t.name === 'UserIDInfo' ? { ...t, fields: [...t.fields, ['Company', 's:string']] } : t),
        ),
        { kind: 'enum', name: 'Long', values: [] },
      ],
    }
    // tns:Long is a string enumeration, not an int: refused; a built-in long is accepted.
    expect(wsdlShapeOf(wsdl(extra), eo, 'UserInfo')).toEqual([
      'WSDL_SHAPE UserInfoResponse/UserInfoResult/UserID: documented as xs:int, the WSDL types it Long (a restriction of xs:string)',
    ])
    const text = wsdl(withField(ECGRIDOS_SERVICE, 'UserIDInfo', 'Status', 's:string')).replace('name="UserID" type="s:int"', 'name="UserID" type="s:long"')
    expect(wsdlShapeOf(text, eo, 'UserInfo')).toEqual([])
  })
})
