/**
 * The `UserIDInfo` type: its schema fields (WSDL order) and its XML form. How `Created` and `AuthLevel` are
 * written is a collaborator of the handler context (`UserInfoFormat`), so that a deviation can replace it.
 */
import type { XsdType } from '../asmx/types.ts'
import { el, leaf, type XmlElement } from '../asmx/xml.ts'
import type { AuthLevel } from '../ecgrid/enums.ts'
import type { EcUser } from '../ecgrid/users.ts'

export const USER_ID_INFO_FIELDS: ReadonlyArray<readonly [string, XsdType]> = [
  ['UserID', 's:int'],
  ['Login', 's:string'],
  ['Email', 's:string'],
  ['FirstName', 's:string'],
  ['LastName', 's:string'],
  ['NetworkID', 's:int'],
  ['MailboxID', 's:int'],
  ['AuthLevel', 'tns:AuthLevel'],
  ['Status', 'tns:Status'],
  ['Created', 's:dateTime'],
]

export interface UserInfoFormat {
  /** From the stored instant (`2024-01-15T09:30:00Z`). */
  created(instant: string): string
  authLevel(level: AuthLevel): string
}

/**
 * xs:dateTime as XmlSerializer writes a UTC DateTime (XmlConvert, RoundtripKind): `2024-01-15T09:30:00Z`, the
 * instant ECGrid REST's `created` names. The page's example is unzoned (`2024-01-15T09:30:00`), which a client
 * reads in its own time zone, hours off the REST value: the reference writes the zone.
 */
export const documentedFormat: UserInfoFormat = {
  created: (instant) => `${instant.slice(0, 19)}Z`,
  authLevel: (level) => level,
}

/** `<name>` with the UserIDInfo children, e.g. `userIdInfo('UserInfoResult', user, format)`. */
export function userIdInfo(name: string, user: EcUser, format: UserInfoFormat): XmlElement {
  return el(
    name,
    [],
    [
      leaf('UserID', String(user.id)),
      leaf('Login', user.login),
      leaf('Email', user.email),
      leaf('FirstName', user.firstName),
      leaf('LastName', user.lastName),
      leaf('NetworkID', String(user.networkId)),
      leaf('MailboxID', String(user.mailboxId)),
      leaf('AuthLevel', format.authLevel(user.authLevel)),
      leaf('Status', user.status),
      leaf('Created', format.created(user.created)),
    ],
  )
}
