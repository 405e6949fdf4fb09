/** The XML elements infoRouter answers with: `<root …/>` (AuthenticateUser, LogOut) and `<response …/>`. */
import { attrOf, el, withAttr, type XmlElement } from '../asmx/xml.ts'
import type { IrUser } from './users.ts'

export function responseOk(children: readonly XmlElement[] = []): XmlElement {
  return el(
    'response',
    [
      ['success', 'true'],
      ['error', ''],
    ],
    children,
  )
}

export function responseFail(error: string): XmlElement {
  return el('response', [
    ['success', 'false'],
    ['error', error],
  ])
}

export function rootOk(attrs: ReadonlyArray<readonly [string, string]> = []): XmlElement {
  return el('root', [['success', 'true'], ...attrs])
}

export function rootFail(error: string): XmlElement {
  return el('root', [
    ['success', 'false'],
    ['error', error],
  ])
}

export const isSuccess = (element: XmlElement): boolean => attrOf(element, 'success') === 'true'

export const errorOf = (element: XmlElement): string | undefined => (isSuccess(element) ? undefined : attrOf(element, 'error'))

/** The same failure element (root or response) with another error text. */
export const withError = (element: XmlElement, error: string): XmlElement => withAttr(element, 'error', error)

/** `2024-01-15` from an ISO timestamp; "" when there is none. */
const datePart = (iso: string | null): string => (iso === null ? '' : iso.slice(0, 10))

export function userElement(user: IrUser): XmlElement {
  const preferences = el('Preferences', [
    ['Language', 'English'],
    ['DefaultPortal', ''],
    ['ShowArchives', 'FALSE'],
    ['ShowHiddens', 'FALSE'],
    ['NotificationType', 'INSTANT'],
    ['NotificationTypeId', '1'],
    ['EmailType', 'HTML'],
    ['AttachDocumentToEmail', 'FALSE'],
  ])
  return el(
    'User',
    [
      ['exists', 'true'],
      ['UserID', String(user.id)],
      ['FirstName', user.firstName],
      ['LastName', user.lastName],
      ['Email', user.email],
      ['MobileNumber', user.mobileNumber],
      ['Enabled', user.enabled ? 'TRUE' : 'FALSE'],
      ['UserName', user.userName],
      ['Domain', user.domain],
      ['LastLogonDate', datePart(user.lastLogonAt)],
      ['LastPasswordChangeDate', datePart(user.passwordChangedAt)],
      ['AuthenticationAuthority', 'native'],
      ['ReadOnlyUser', 'FALSE'],
    ],
    [preferences],
  )
}
