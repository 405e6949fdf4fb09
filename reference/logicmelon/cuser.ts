/**
 * The `CUser` type: its schema fields (WSDL order), the user record that mirrors it, and its XML form.
 * The record's keys are the CUser element names (and the store's column names), so one name follows a
 * field from the wire to the table. How UserRoleID, the flags and Password are written is a collaborator
 * of the handler context (`CUserFormat`), so that a deviation can replace it.
 */
import type { XsdType } from '../asmx/types.ts'
import { el, leaf, type XmlElement } from '../asmx/xml.ts'

export const INT_FIELDS = ['UserID', 'OrganisationID', 'UserRoleID'] as const

/** The strings an administrator may change with UserUpdate (D5). */
export const UPDATEABLE_TEXT_FIELDS = [
  'FirstName',
  'LastName',
  'Phone',
  'Email',
  'ApplicationsEmail',
  'Fax',
  'UserCultureID',
  'WebSite',
  'UserAddress1',
  'UserAddress2',
  'UserAddress3',
  'UserState',
  'UserCountry',
  'UserPostCode',
  'UserWebSite',
  'Mobile',
  'Position',
] as const

export const IDENTITY_TEXT_FIELDS = ['UserIdentifier', 'Username', 'Password'] as const

export const FLAG_FIELDS = [
  'BBDCopySentMessages',
  'BBDLiveAdvertEmail',
  'BBDExpiringEmail',
  'BBDExpiredEmail',
  'DailyNewCandidatesEmail',
  'BBDInformCandidatesEmail',
  'BBDRemovedManuallyEmail',
] as const

export type IntField = (typeof INT_FIELDS)[number]
export type UpdateableTextField = (typeof UPDATEABLE_TEXT_FIELDS)[number]
export type TextField = UpdateableTextField | (typeof IDENTITY_TEXT_FIELDS)[number]
export type FlagField = (typeof FLAG_FIELDS)[number]
export type CUserField = IntField | TextField | FlagField

/** The CUser sequence, in WSDL order. */
export const CUSER_FIELDS: ReadonlyArray<readonly [CUserField, XsdType]> = [
  ['UserID', 's:int'],
  ['OrganisationID', 's:int'],
  ['UserIdentifier', 's:string'],
  ['FirstName', 's:string'],
  ['LastName', 's:string'],
  ['Phone', 's:string'],
  ['Email', 's:string'],
  ['ApplicationsEmail', 's:string'],
  ['Fax', 's:string'],
  ['Username', 's:string'],
  ['Password', 's:string'],
  ['UserRoleID', 's:int'],
  ['UserCultureID', 's:string'],
  ['WebSite', 's:string'],
  ['UserAddress1', 's:string'],
  ['UserAddress2', 's:string'],
  ['UserAddress3', 's:string'],
  ['UserState', 's:string'],
  ['UserCountry', 's:string'],
  ['UserPostCode', 's:string'],
  ['UserWebSite', 's:string'],
  ['Mobile', 's:string'],
  ['Position', 's:string'],
  ...FLAG_FIELDS.map((flag) => [flag, 's:boolean'] as const),
]

/** A stored user, field for field a CUser (with the real password). */
export type LmUser = { readonly [K in IntField]: number } & { readonly [K in TextField]: string } & { readonly [K in FlagField]: boolean }

/** Every int 0, every string "" and every flag false. */
export const BLANK_USER: LmUser = Object.fromEntries(
  CUSER_FIELDS.map(([field, type]) => [field, type === 's:int' ? 0 : type === 's:boolean' ? false : '']),
) as LmUser

export const ROLE_ADMINISTRATOR = 1
export const ROLE_RECRUITER = 2

export interface CUserFormat {
  roleId(roleId: number): string
  flag(value: boolean): string
  /** From the stored password. */
  password(stored: string): string
}

/** Ints as decimal text, booleans as xs:boolean, and never the password. */
export const documentedFormat: CUserFormat = {
  roleId: (roleId) => String(roleId),
  flag: (value) => (value ? 'true' : 'false'),
  password: () => '',
}

const isInt = (field: CUserField): field is IntField => (INT_FIELDS as readonly string[]).includes(field)
const isFlag = (field: CUserField): field is FlagField => (FLAG_FIELDS as readonly string[]).includes(field)

function fieldText(user: LmUser, field: CUserField, format: CUserFormat): string {
  if (field === 'UserRoleID') return format.roleId(user.UserRoleID)
  if (field === 'Password') return format.password(user.Password)
  if (isInt(field)) return String(user[field])
  if (isFlag(field)) return format.flag(user[field])
  return user[field]
}

/** `<name>` with the CUser children, e.g. `cUser('UserUpdateResult', user, format)` or `cUser('CUser', …)`. */
export function cUser(name: string, user: LmUser, format: CUserFormat): XmlElement {
  return el(
    name,
    [],
    CUSER_FIELDS.map(([field]) => leaf(field, fieldText(user, field, format))),
  )
}
