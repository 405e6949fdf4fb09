/**
 * The ECGrid deviations: ECGridOS SOAP (`ecgridos`) and ECGrid REST (`ecgrid-rest`). Each one wraps a stage
 * of the faithful service (ecgridos-wraps.ts, ecgrid-rest-wraps.ts); handlers never test for them.
 */
import type { AsmxWrap } from '../asmx/pipeline.ts'
import type { ServiceSpec } from '../asmx/types.ts'
import { latin1Only, lowerCased, withoutAstral } from '../data/normalise.ts'
import { withParamType, withTypeField, withoutEnumValue } from '../asmx/wsdl-edits.ts'
import {
  adminsOnlyBelow,
  allowEveryone,
  mailboxAdminWholeNetwork,
  networkAdminAnyNetwork,
  networkAdminOwnMailbox,
  techOpsOwnNetwork,
  type AccessPolicy,
} from '../ecgrid/authority.ts'
import { AUTH_LEVELS } from '../ecgrid/enums.ts'
import type { EcUser, UserChange } from '../ecgrid/users.ts'
import type { ErContext } from '../ecgrid-rest/context.ts'
import type { EoContext } from '../ecgridos/context.ts'
import type { RestWrap } from '../rest/pipeline.ts'
import * as er from './ecgrid-rest-wraps.ts'
import * as eo from './ecgridos-wraps.ts'
import type { Deviation } from './types.ts'

export type EcgridOsDeviation = Deviation<AsmxWrap<EoContext>>
export type EcgridRestDeviation = Deviation<RestWrap<ErContext, EcUser>>

const UPDATE = ['UserUpdate']
/** The WSDL describes the service as `edit` makes it (the service itself is unchanged). */
const describedAs = (edit: (spec: ServiceSpec) => ServiceSpec): EcgridOsDeviation['wraps'][number] => ({
  layer: 'wsdl',
  around: (next) => (spec, origin) => next(edit(spec), origin),
})
/** Each text field of a change that `fields` names, through `f`. */
const mapped =
  (fields: ReadonlyArray<'firstName' | 'lastName' | 'email'>, f: (text: string) => string) =>
  (change: UserChange): UserChange => ({
    ...change,
    ...Object.fromEntries(fields.flatMap((k) => (change[k] === undefined ? [] : [[k, f(change[k])]]))),
  })
const eoStores = (map: (change: UserChange) => UserChange) =>
  eo.onOperations(
    UPDATE,
    eo.withUpdate((update) => (id, change) => update(id, map(change))),
  )
const erStores = (map: (change: UserChange) => UserChange) => er.onPut(er.withUpdate((update) => (id, change) => update(id, map(change))))
const withAccess = (access: AccessPolicy) => er.withContext(() => ({ access }))
const READS = ['UserUpdate', 'UserInfo']

// A deviation that makes one face answer or save differently from the other also breaks EO-12 (the two faces
// must agree), so those declare it: the cross-API check catches them honestly, it is not a false alarm.
export const ECGRIDOS_DEVIATIONS: readonly EcgridOsDeviation[] = [
  {
    name: 'eo-answer-stale',
    api: 'ecgridos',
    // The answer is not what UserInfo then reads (EO-4).
    breaks: ['EO-1', 'EO-12', 'EO-4'],
    description: 'UserUpdate saves the change but answers the user as it was before.',
    wraps: [eo.onOperations(UPDATE, eo.staleAnswer)],
  },
  {
    name: 'eo-resets-created',
    api: 'ecgridos',
    // Every successful update changes Created, so a same-value update changes something too.
    breaks: ['EO-2', 'EO-11', 'EO-12'],
    description: 'UserUpdate sets Created to now (persisted, and answered).',
    wraps: [
      eo.onOperations(
        UPDATE,
        eo.alsoSets((ctx) => ({ created: ctx.clock.now() })),
      ),
    ],
  },
  {
    name: 'eo-changes-status',
    api: 'ecgridos',
    breaks: ['EO-2', 'EO-11', 'EO-12'],
    description: 'UserUpdate sets Status to Development (persisted, and answered).',
    wraps: [
      eo.onOperations(
        UPDATE,
        eo.alsoSets(() => ({ status: 'Development' })),
      ),
    ],
  },
  {
    name: 'eo-answer-wrong-user-id',
    api: 'ecgridos',
    // The answer is not what UserInfo then reads (EO-4).
    breaks: ['EO-3', 'EO-4'],
    description: "The UserUpdate answer's UserID is the caller's instead of the updated user's (not persisted).",
    wraps: [eo.onOperations(UPDATE, eo.callerAsUserId)],
  },
  {
    name: 'eo-not-persisted',
    api: 'ecgridos',
    breaks: ['EO-4', 'EO-12'],
    description: 'UserUpdate answers the new values but does not save them.',
    wraps: [eo.onOperations(UPDATE, eo.answerWithoutSaving)],
  },
  {
    name: 'eo-created-not-datetime',
    api: 'ecgridos',
    breaks: ['EO-5', 'EO-12'],
    description: 'Created is written as dd/MM/yyyy HH:mm text (15/01/2024 09:30) in UserUpdate and UserInfo answers.',
    wraps: [eo.onOperations(READS, eo.withFormat({ created: eo.dayMonthYear }))],
  },
  {
    name: 'eo-created-local-time',
    api: 'ecgridos',
    // Each face is consistent with itself; only comparing the two faces (EO-12) shows it.
    breaks: ['EO-12'],
    description: "ECGridOS writes Created in the server's local time (UTC+2) without a zone, so it names another instant than ECGrid REST's created.",
    wraps: [eo.onOperations(READS, eo.withFormat({ created: eo.localUnzoned(120) }))],
  },
  {
    name: 'eo-authlevel-as-number',
    api: 'ecgridos',
    breaks: ['EO-5', 'EO-12'],
    description: 'AuthLevel is written as its enum index (MailboxAdmin as 6) in UserUpdate and UserInfo answers.',
    wraps: [eo.onOperations(READS, eo.withFormat({ authLevel: (level) => String(AUTH_LEVELS.indexOf(level)) }))],
  },
  {
    name: 'eo-logged-out-session-valid',
    api: 'ecgridos',
    breaks: ['EO-6'],
    description: 'Logout answers true but the session keeps working.',
    wraps: [
      eo.onOperations(
        ['Logout'],
        eo.withContext((ctx) => ({ sessions: { ...ctx.sessions, end: () => {} } })),
      ),
    ],
  },
  {
    name: 'eo-unknown-user-empty-answer',
    api: 'ecgridos',
    // An empty <UserUpdateResult /> is also not a UserIDInfo.
    breaks: ['EO-7', 'EO-5'],
    description: 'UserUpdate for an unknown UserID answers an empty <UserUpdateResult /> instead of the ObjectNotFound fault.',
    wraps: [eo.onOperations(UPDATE, eo.emptyAnswerForUnknownUser)],
  },
  {
    name: 'eo-anyone-updates-anyone',
    api: 'ecgridos',
    breaks: ['EO-8'],
    description: 'UserUpdate skips the authority check: any session may update any user.',
    wraps: [
      eo.onOperations(
        UPDATE,
        eo.withContext(() => ({ access: allowEveryone })),
      ),
    ],
  },
  {
    name: 'eo-network-admin-any-network',
    api: 'ecgridos',
    breaks: ['EO-8'],
    description: 'UserUpdate lets a NetworkAdmin update users of any network (the network comparison forgotten).',
    wraps: [
      eo.onOperations(
        UPDATE,
        eo.withContext(() => ({ access: networkAdminAnyNetwork })),
      ),
    ],
  },
  {
    name: 'eo-mailbox-admin-whole-network',
    api: 'ecgridos',
    breaks: ['EO-8'],
    description: 'UserUpdate lets a MailboxAdmin update every user of its network (the network compared instead of the mailbox).',
    wraps: [
      eo.onOperations(
        UPDATE,
        eo.withContext(() => ({ access: mailboxAdminWholeNetwork })),
      ),
    ],
  },
  {
    name: 'eo-admins-only-below',
    api: 'ecgridos',
    breaks: ['EO-8', 'EO-1', 'EO-3'],
    description:
      'UserUpdate lets an admin update only users of a lower AuthLevel: a MailboxAdmin or NetworkAdmin updating itself gets the Authorization fault.',
    wraps: [
      eo.onOperations(
        UPDATE,
        eo.withContext(() => ({ access: adminsOnlyBelow })),
      ),
    ],
  },
  {
    name: 'eo-fault-http-200',
    api: 'ecgridos',
    breaks: ['EO-9'],
    description: 'ECGridOS faults (those with an ECGridOSSOAPErrorCode detail) are sent with HTTP 200.',
    wraps: [{ layer: 'soap-answer', around: eo.serviceFaultsAs200 }],
  },
  {
    name: 'eo-soap12-as-soap11',
    api: 'ecgridos',
    breaks: ['EO-9'],
    description: 'SOAP 1.2 requests to ECGridOS are answered in a SOAP 1.1 envelope with text/xml.',
    wraps: [{ layer: 'soap-answer', around: (next) => (_version, message) => next('1.1', message) }],
  },
  {
    name: 'eo-wsdl-drops-email',
    api: 'ecgridos',
    breaks: ['EO-10'],
    description: "The WSDL's UserUpdate element declares no Email parameter (the service still accepts it).",
    wraps: [{ layer: 'wsdl', around: (next) => (spec, origin) => next(eo.withoutParam(spec, 'UserUpdate', 'Email'), origin) }],
  },
  {
    name: 'eo-wsdl-info-lacks-email',
    api: 'ecgridos',
    breaks: ['EO-10'],
    description: "The WSDL's UserIDInfo type declares no Email member (the answers still carry it): a generated client drops the address it reads.",
    wraps: [describedAs((spec) => withTypeField(spec, 'UserIDInfo', 'Email'))],
  },
  {
    name: 'eo-wsdl-user-id-as-string',
    api: 'ecgridos',
    breaks: ['EO-10'],
    description: "The WSDL types UserUpdate's UserID parameter as xs:string instead of xs:int.",
    wraps: [describedAs((spec) => withParamType(spec, 'UserUpdate', 'UserID', 's:string'))],
  },
  {
    name: 'eo-wsdl-auth-level-lacks-value',
    api: 'ecgridos',
    breaks: ['EO-10'],
    description: "The WSDL's AuthLevel enumeration lacks MailboxUser: a generated client cannot read a MailboxUser's UserIDInfo.",
    wraps: [describedAs((spec) => withoutEnumValue(spec, 'AuthLevel', 'MailboxUser'))],
  },
  {
    name: 'eo-lowercases-email',
    api: 'ecgridos',
    // The same address sent back (a same-value update) is stored changed too (EO-11).
    breaks: ['EO-1', 'EO-11', 'EO-12'],
    description: 'UserUpdate stores (and answers) the Email folded to lower case, local part included.',
    wraps: [eoStores(mapped(['email'], lowerCased))],
  },
  {
    name: 'eo-names-latin1',
    api: 'ecgridos',
    // The same names sent back (a same-value update) are stored changed too (EO-11).
    breaks: ['EO-1', 'EO-11', 'EO-12'],
    description: "UserUpdate stores FirstName and LastName in a Latin-1 column: characters beyond it (Ł, ş, ễ, 𠮷) become '?'.",
    wraps: [eoStores(mapped(['firstName', 'lastName'], latin1Only))],
  },
  {
    name: 'eo-same-values-fault',
    api: 'ecgridos',
    breaks: ['EO-11'],
    description: 'UserUpdate with FirstName, LastName and Email all equal to the current values answers an InvalidParameter fault "Nothing to update".',
    wraps: [eo.onOperations(UPDATE, eo.sameValuesFault)],
  },
]

export const ECGRID_REST_DEVIATIONS: readonly EcgridRestDeviation[] = [
  {
    name: 'er-answer-stale',
    api: 'ecgrid-rest',
    // The answer is not what GET then reads (ER-9).
    breaks: ['ER-1', 'EO-12', 'ER-9'],
    description: 'PUT saves the change but answers the user as it was before.',
    wraps: [er.onPut(er.staleAnswer)],
  },
  {
    name: 'er-missing-clears',
    api: 'ecgrid-rest',
    breaks: ['ER-2'],
    description: 'PUT sets firstName, lastName and email left out of the body to "" (a partial update clears the rest).',
    wraps: [er.onPut(er.underneath(er.clearedWhere((_value, present) => !present)))],
  },
  {
    name: 'er-null-clears',
    api: 'ecgrid-rest',
    breaks: ['ER-2'],
    description: 'PUT treats null for firstName, lastName or email as "" (clears the field).',
    wraps: [er.onPut(er.over(er.clearedWhere((value) => value === null)))],
  },
  {
    name: 'er-mass-assignment',
    api: 'ecgrid-rest',
    breaks: ['ER-3'],
    description: 'PUT applies login, authLevel, networkId, mailboxId and status when the body carries them.',
    wraps: [er.onPut(er.over(er.massAssigned))],
  },
  {
    name: 'er-unknown-user-400',
    api: 'ecgrid-rest',
    breaks: ['ER-4'],
    description: 'PUT with an unknown userId answers 400 InvalidParameter instead of 404 ObjectNotFound.',
    wraps: [er.onPut(er.unknownUserAs400)],
  },
  {
    name: 'er-accepts-bad-email',
    api: 'ecgrid-rest',
    breaks: ['ER-5'],
    description: 'PUT stores an invalid or empty email instead of answering 400.',
    wraps: [er.onPut(er.withContext(() => ({ emailRule: () => true })))],
  },
  {
    name: 'er-partial-before-validation',
    api: 'ecgrid-rest',
    breaks: ['ER-5'],
    description: 'PUT saves firstName/lastName before validating the email, so a 400 for a bad email still changes the names.',
    wraps: [er.onPut(er.namesBeforeEmailCheck)],
  },
  {
    name: 'er-any-key-updates-anyone',
    api: 'ecgrid-rest',
    breaks: ['ER-6'],
    description: 'PUT skips the authority check: any valid key may update any user.',
    wraps: [er.onPut(er.withContext(() => ({ access: allowEveryone })))],
  },
  {
    name: 'er-network-admin-any-network',
    api: 'ecgrid-rest',
    breaks: ['ER-6'],
    description: 'PUT lets a NetworkAdmin key update users of any network (the network comparison forgotten).',
    wraps: [er.onPut(withAccess(networkAdminAnyNetwork))],
  },
  {
    name: 'er-mailbox-admin-whole-network',
    api: 'ecgrid-rest',
    breaks: ['ER-6'],
    description: 'PUT lets a MailboxAdmin key update every user of its network (the network compared instead of the mailbox).',
    wraps: [er.onPut(withAccess(mailboxAdminWholeNetwork))],
  },
  {
    name: 'er-network-admin-own-mailbox',
    api: 'ecgrid-rest',
    breaks: ['ER-6', 'ER-1'],
    description: 'PUT lets a NetworkAdmin key update only users of its own mailbox: another mailbox of its network answers 403.',
    wraps: [er.onPut(withAccess(networkAdminOwnMailbox))],
  },
  {
    name: 'er-techops-own-network',
    api: 'ecgrid-rest',
    breaks: ['ER-6', 'ER-1'],
    description: 'PUT scopes a TechOps key like a NetworkAdmin: a user of another network answers 403.',
    wraps: [er.onPut(withAccess(techOpsOwnNetwork))],
  },
  {
    name: 'er-admin-key-as-user',
    api: 'ecgrid-rest',
    breaks: ['ER-6', 'ER-1'],
    description: "PUT reads a MailboxAdmin's or NetworkAdmin's key as a MailboxUser's: it may update only its own user (403 for the users it manages).",
    wraps: [er.onPut(er.callersDemoted(['MailboxAdmin', 'NetworkAdmin'], 'MailboxUser'))],
  },
  {
    name: 'er-missing-key-allowed',
    api: 'ecgrid-rest',
    breaks: ['ER-6'],
    description: 'PUT without an X-API-Key header acts as a Root caller instead of answering 401.',
    wraps: [er.onPut(er.missingKeyIsRoot)],
  },
  {
    name: 'er-error-without-code',
    api: 'ecgrid-rest',
    breaks: ['ER-7'],
    description: 'REST error answers omit errorCode.',
    wraps: [{ layer: 'envelope', around: er.withoutErrorCode }],
  },
  {
    name: 'er-user-id-as-string',
    api: 'ecgrid-rest',
    breaks: ['ER-8'],
    description: 'data.userId is written as a JSON string ("5001").',
    wraps: [{ layer: 'present', around: er.presentedWith((user) => ({ userId: String(user.id) })) }],
  },
  {
    name: 'er-created-local-time',
    api: 'ecgrid-rest',
    breaks: ['ER-8'],
    description: 'data.created is written without a zone (2024-01-15T09:30:00).',
    wraps: [{ layer: 'present', around: er.presentedWith((user) => ({ created: user.created.slice(0, 19) })) }],
  },
  {
    name: 'er-not-persisted',
    api: 'ecgrid-rest',
    breaks: ['ER-9', 'EO-12', 'EL-17'],
    description: 'PUT answers the new values but does not save them.',
    wraps: [er.onPut(er.answerWithoutSaving)],
  },
  {
    name: 'er-drops-astral',
    api: 'ecgrid-rest',
    // Names sent back unchanged alongside another field are stored changed (ER-2, ER-9); both cross-API checks see the faces disagree.
    breaks: ['ER-1', 'ER-2', 'ER-9', 'EO-12', 'EL-17'],
    description: 'PUT stores names without their characters beyond the Basic Multilingual Plane (MySQL utf8): 𠮷田 is stored as 田.',
    wraps: [erStores(mapped(['firstName', 'lastName'], withoutAstral))],
  },
  {
    name: 'er-lowercases-email',
    api: 'ecgrid-rest',
    // An address sent back unchanged is stored changed (ER-2, ER-9); both cross-API checks see the faces disagree.
    breaks: ['ER-1', 'ER-2', 'ER-9', 'EO-12', 'EL-17'],
    description: 'PUT stores (and answers) the email folded to lower case, local part included.',
    wraps: [erStores(mapped(['email'], lowerCased))],
  },
  {
    name: 'er-empty-name-ignored',
    api: 'ecgrid-rest',
    breaks: ['ER-10'],
    description: 'PUT with "" for firstName or lastName keeps the current value instead of clearing it.',
    wraps: [er.onPut(er.emptyNamesIgnored)],
  },
  {
    name: 'er-bad-json-500',
    api: 'ecgrid-rest',
    breaks: ['ER-11'],
    description: 'PUT with malformed JSON or a wrong Content-Type answers 500 InternalError instead of 400.',
    wraps: [er.onPut(er.badJsonAs500)],
  },
]
