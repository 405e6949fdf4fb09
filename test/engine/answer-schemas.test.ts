import { describe, expect, test } from 'vitest'
import { AnswerSchemas } from '../../src/spec/answer-schemas.ts'

const schemas = new AnswerSchemas()
const ok = {
  success: true,
  data: {
    userId: 5001,
    login: 'jsmith',
    email: 'j@x.io',
    firstName: 'J',
    lastName: 'S',
    networkId: 10,
    mailboxId: 100,
    authLevel: 'MailboxAdmin',
    status: 'Active',
    created: '2024-01-15T09:30:00Z',
  },
}
const check = (v: unknown) => schemas.check('ecgrid-rest/user-envelope.schema.json', v)

describe('ECGrid REST envelope schema (ER-7, ER-8): violations name the JSON path', () => {
  test('the documented answer passes', () => {
    expect(check(ok)).toEqual([])
    expect(check({ success: false, data: null, errorCode: 'ObjectNotFound', message: 'no such user' })).toEqual([])
  })
  test('an extra envelope field is allowed (answer schemas stay open: test/engine/open-answer-schemas.test.ts)', () => {
    expect(check({ ...ok, requestId: 'x' })).toEqual([])
  })
  test('a wrong type', () => {
    expect(check({ ...ok, data: { ...ok.data, userId: '5001' } })).toContain('$.data.userId must be integer')
  })
  test('a missing data', () => {
    const { data: _d, ...noData } = ok
    expect(check(noData)).toContain("$ (the answer) must have required property 'data'")
  })
  test('created without a zone is not a UTC instant', () => {
    expect(check({ ...ok, data: { ...ok.data, created: '2024-01-15T09:30:00' } }).join()).toMatch(/\$\.data\.created must/)
  })
  test('an error without an errorCode', () => {
    expect(check({ success: false, data: null, message: 'x' })).toContain("$ (the answer) must have required property 'errorCode'")
  })
})

describe('ECGridOS UserIDInfo schema (EO-5)', () => {
  const info = {
    UserID: '5001',
    Login: 'jsmith',
    Email: 'j@x.io',
    FirstName: 'J',
    LastName: 'S',
    NetworkID: '10',
    MailboxID: '100',
    AuthLevel: 'MailboxAdmin',
    Status: 'Active',
    Created: '2024-01-15T09:30:00',
  }
  const check11 = (v: unknown) => schemas.check('ecgridos/user-id-info.schema.json', v)
  test('the documented example passes', () => expect(check11(info)).toEqual([]))
  test('an int as text, a date that is not xs:dateTime, an enum by number', () => {
    expect(check11({ ...info, NetworkID: 'ten' }).join()).toMatch(/\$\.NetworkID must match pattern/)
    expect(check11({ ...info, Created: '15/01/2024 09:30' }).join()).toMatch(/\$\.Created must match pattern/)
    expect(check11({ ...info, AuthLevel: '6' }).join()).toMatch(/\$\.AuthLevel must be equal to one of the allowed values/)
  })
})
