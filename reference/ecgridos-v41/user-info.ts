/**
 * The v4.1 `UserIDInfo` (20 elements, WSDL order) of a user: the shared fields, the live profile's details, and
 * what the store knows of sessions. How instants are written is a collaborator of the handler context
 * (`UserInfoV41Format`), so that a deviation can replace it. Empty strings are written `<X />` as XmlSerializer does.
 */
import { el, leaf, type XmlElement } from '../asmx/xml.ts'
import type { EcUserDetails } from '../ecgrid/details.ts'
import type { EcUser } from '../ecgrid/users.ts'

export interface UserInfoV41Format {
  /** From a stored instant (`2024-01-15T09:30:00Z`). */
  dateTime(instant: string): string
  boolean(value: boolean): string
}

/**
 * xs:dateTime as XmlSerializer writes a UTC DateTime (`2024-01-15T09:30:00Z`): the same instant as ECGrid REST's
 * `created`, whatever the reader's time zone (see ecgridos/user-info.ts).
 */
export const documentedFormat: UserInfoV41Format = {
  dateTime: (instant) => `${instant.slice(0, 19)}Z`,
  boolean: (value) => (value ? 'true' : 'false'),
}

export interface UserView {
  readonly user: EcUser
  readonly details: EcUserDetails
  readonly openSessions: number
}

export function userIdInfoV41(name: string, { user, details, openSessions }: UserView, format: UserInfoV41Format): XmlElement {
  return el(
    name,
    [],
    [
      leaf('UserID', String(user.id)),
      leaf('LoginName', user.login),
      leaf('RecoveryQuestion', ''),
      leaf('FirstName', user.firstName),
      leaf('LastName', user.lastName),
      leaf('Company', details.company),
      leaf('EMail', user.email),
      leaf('Phone', details.phone),
      leaf('CellPhone', details.cellPhone),
      leaf('CellCarrier', details.cellCarrier),
      leaf('TimeZoneOffset', '0'),
      leaf('NetworkID', String(user.networkId)),
      leaf('MailboxID', String(user.mailboxId)),
      leaf('AuthLevel', user.authLevel),
      leaf('Created', format.dateTime(user.created)),
      leaf('Modified', format.dateTime(details.modified ?? user.created)),
      leaf('LastLogin', format.dateTime(details.lastLogin ?? user.created)),
      leaf('Status', user.status),
      leaf('LockedOut', format.boolean(false)),
      leaf('OpenSessions', String(Math.min(openSessions, 32767))),
    ],
  )
}
