/**
 * ECGridOS variations: fields the pages do not list, other wordings and details around the documented fault
 * codes, other spellings of ints, booleans, instants and session GUIDs, another validation order.
 */
import type { AsmxWrap, Around } from '../asmx/pipeline.ts'
import { SoapFaultError } from '../asmx/fault.ts'
import type { OperationHandler } from '../asmx/types.ts'
import { el, leaf, type XmlElement } from '../asmx/xml.ts'
import type { EoContext } from '../ecgridos/context.ts'
import { EcgridosFaultError, ecgridosFault, type EcgridosErrorCode } from '../ecgridos/faults.ts'
import { callerOf } from '../ecgridos/guard.ts'
import { contactChange } from '../ecgridos/operations/user-update.ts'
import type { Variation } from './types.ts'
import { answerMapped, signedZeroPadded } from './wraps.ts'

type EoWrap = AsmxWrap<EoContext>
type EoHandler = OperationHandler<EoContext>

const USER_INFO_ANSWERS = ['UserInfo', 'UserUpdate']
const ALL_EO = ['Login', 'Logout', 'UserInfo', 'UserUpdate']

export const onEo = (operations: readonly string[], around: Around<EoHandler>): EoWrap => ({ layer: 'operation', operations, around })

export const withEoContext =
  (replace: (ctx: EoContext) => Partial<EoContext>): Around<EoHandler> =>
  (next) =>
  (ctx, params) =>
    next({ ...ctx, ...replace(ctx) }, params)

/** An ECGridOS fault raised by the service, rethrown as `f` makes it (framework faults pass untouched). */
const eoFaultsMapped =
  (f: (error: EcgridosFaultError) => SoapFaultError): Around<EoHandler> =>
  (next) =>
  (ctx, params) => {
    try {
      return next(ctx, params)
    } catch (error) {
      throw error instanceof EcgridosFaultError ? f(error) : error
    }
  }

const EO_WORDING: Readonly<Record<EcgridosErrorCode, string>> = {
  Authentication: 'The SessionID is not valid or has expired.',
  Authorization: 'Your authorization level does not allow this operation.',
  ObjectNotFound: 'The user does not exist.',
  InvalidParameter: 'The parameter Email is not valid.',
  SystemError: 'The system could not complete the request.',
}

/** The leaves named `names` of a UserIDInfo answer, their text mapped by `f`. */
const leavesMapped =
  (names: readonly string[], f: (text: string) => string) =>
  (answer: XmlElement): XmlElement => ({
    ...answer,
    children: answer.children.map((c) => (names.includes(c.name) && c.text !== undefined ? { ...c, text: f(c.text) } : c)),
  })

const textOf = (answer: XmlElement, name: string): string => answer.children.find((c) => c.name === name)?.text ?? ''

const liveFields = (answer: XmlElement): XmlElement =>
  answer.children.length === 0
    ? answer
    : el(answer.name, answer.attrs, [
        ...answer.children,
        leaf('Company', ''),
        leaf('Phone', ''),
        leaf('TimeZoneOffset', '0'),
        leaf('Modified', textOf(answer, 'Created')),
        leaf('LockedOut', 'false'),
        leaf('OpenSessions', '1'),
      ])

export const ECGRIDOS_VARIATIONS: readonly Variation[] = [
  {
    name: 'eo-extra-fields',
    api: 'ecgridos',
    description:
      'UserIDInfo answers carry more fields after the documented ten, as the live v4.1 type does: Company, Phone, TimeZoneOffset, Modified, LockedOut, OpenSessions.',
    source:
      'api-facts §1.0 (the live UserIDInfo has 20 fields); DESIGN "Where the truth comes from": answer schemas stay open to what the pages do not mention',
    wraps: { ecgridos: [onEo(USER_INFO_ANSWERS, answerMapped(liveFields))] },
  },
  {
    name: 'eo-fault-wording',
    api: 'ecgridos',
    description:
      'ECGridOS faults word their faultstring differently ("The SessionID is not valid or has expired."); the fault code and the ECGridOSSOAPErrorCode detail are unchanged.',
    source:
      'DESIGN D4 names the fault codes and detail codes, not the texts; api-facts §1.5 (the pages write both "Invalid Session ID" and "Invalid SessionID")',
    wraps: {
      ecgridos: [
        onEo(
          ALL_EO,
          eoFaultsMapped((e) => ecgridosFault(e.errorCode, EO_WORDING[e.errorCode])),
        ),
      ],
    },
  },
  {
    name: 'eo-fault-detail-extra',
    api: 'ecgridos',
    description: 'ECGridOS fault details carry ErrorString and ErrorMessage after <ECGridOSSOAPErrorCode>, as the live service details its errors.',
    source:
      'api-facts §1.5 (the live service details ErrorCode, ErrorString, ErrorItem, ErrorMessage); DESIGN D4 requires the ECGridOSSOAPErrorCode child, no other is excluded',
    wraps: {
      ecgridos: [
        onEo(
          ALL_EO,
          eoFaultsMapped(
            (e) =>
              new SoapFaultError({ ...e.fault, detail: [...(e.fault.detail ?? []), leaf('ErrorString', e.fault.reason), leaf('ErrorMessage', e.errorCode)] }),
          ),
        ),
      ],
    },
  },
  {
    name: 'eo-int-spellings',
    api: 'ecgridos',
    description: 'UserIDInfo writes UserID, NetworkID and MailboxID with a sign and leading zeros (+0005001).',
    source: 'XML Schema Part 2 §3.3.13 and §3.3.17: the lexical space of xs:int allows an optional sign and leading zeros',
    wraps: { ecgridos: [onEo(USER_INFO_ANSWERS, answerMapped(leavesMapped(['UserID', 'NetworkID', 'MailboxID'], signedZeroPadded)))] },
  },
  {
    name: 'eo-boolean-digits',
    api: 'ecgridos',
    description: 'Logout answers <LogoutResult>1</LogoutResult> instead of true.',
    source: 'XML Schema Part 2 §3.2.2.1: the lexical space of xs:boolean is true, false, 1, 0',
    wraps: {
      ecgridos: [
        onEo(
          ['Logout'],
          answerMapped((answer) => ({ ...answer, text: answer.text === 'true' ? '1' : answer.text === 'false' ? '0' : answer.text })),
        ),
      ],
    },
  },
  {
    name: 'eo-created-zoned',
    api: 'ecgridos',
    description:
      "Created is written with seven fractional digits, as .NET's round-trip format writes a UTC DateTime (2024-01-15T09:30:00.0000000Z); the same instant.",
    source: 'XML Schema Part 2 §3.2.7: xs:dateTime allows fractional seconds and a timezone; DESIGN: instants compared by value',
    wraps: {
      ecgridos: [
        onEo(
          USER_INFO_ANSWERS,
          withEoContext((ctx) => ({ format: { ...ctx.format, created: (instant) => `${instant.slice(0, 19)}.0000000Z` } })),
        ),
      ],
    },
  },
  {
    name: 'eo-created-unzoned',
    api: 'ecgridos',
    description: "Created is written without a zone, as the UserUpdate page's example shows it (2024-01-15T09:30:00): the UTC clock time.",
    source: 'The UserUpdate page (seed 000) example <Created>2024-01-15T09:30:00</Created>; docs/specs.md: an unzoned xs:dateTime is compared as UTC',
    wraps: {
      ecgridos: [
        onEo(
          USER_INFO_ANSWERS,
          withEoContext((ctx) => ({ format: { ...ctx.format, created: (instant) => instant.slice(0, 19) } })),
        ),
      ],
    },
  },
  {
    name: 'eo-session-upper-case',
    api: 'ecgridos',
    description: 'Login answers the SessionID GUID in upper case; sessions are accepted in any case, as before.',
    source:
      'api-facts §1.4: "The SessionID is a Globally Unique Identifier (GUID) presented in string format"; RFC 9562 §4: UUID text is case-insensitive on input',
    wraps: {
      ecgridos: [
        onEo(
          ['Login'],
          answerMapped((answer) => ({ ...answer, text: answer.text?.toUpperCase() })),
        ),
      ],
    },
  },
  {
    name: 'eo-validation-order',
    api: 'ecgridos',
    description:
      'UserUpdate checks the Email right after the session, before it looks the user up and checks authority (an invalid Email for an unknown user is InvalidParameter, not ObjectNotFound).',
    source: 'DESIGN D4 and the UserUpdate page name the faults, not the order of the checks',
    wraps: {
      ecgridos: [
        onEo(['UserUpdate'], (next) => (ctx, params) => {
          callerOf(ctx, params.SessionID ?? null)
          contactChange(params)
          return next(ctx, params)
        }),
      ],
    },
  },
]
