/** LogicMelon variations: other spellings of xs:boolean and xs:int, fields the help page does not list, other fault wordings. */
import type { Around } from '../asmx/pipeline.ts'
import { WebMethodError } from '../asmx/fault.ts'
import type { OperationHandler, ParamValue } from '../asmx/types.ts'
import { el, leaf, type XmlElement } from '../asmx/xml.ts'
import type { LmContext } from '../logicmelon/context.ts'
import { INT_FIELDS } from '../logicmelon/cuser.ts'
import {
  ACCESS_DENIED,
  AUTHENTICATION_FAILED,
  CANNOT_MOVE,
  ORGANISATION_NOT_FOUND,
  USER_NOT_FOUND,
  USERNAME_EXISTS,
  faultMessageOf,
} from '../logicmelon/faults.ts'
import type { LmWrap } from '../logicmelon/index.ts'
import type { Variation } from './types.ts'
import { answerMapped, signedZeroPadded } from './wraps.ts'

type Handler = OperationHandler<LmContext, ParamValue>

const CUSER_ANSWERS = ['UserList', 'UserUpdate', 'UserAdd']
const ALL = [...CUSER_ANSWERS, 'UserDelete']

const onOperations = (operations: readonly string[], around: Around<Handler>): LmWrap => ({ layer: 'operation', operations, around })

/** Each CUser of an answer (the answer itself, or the items of UserListResult) mapped by `f`. */
const eachCUser =
  (f: (user: XmlElement) => XmlElement) =>
  (answer: XmlElement): XmlElement =>
    answer.name === 'UserListResult' ? { ...answer, children: answer.children.map(f) } : f(answer)

const isCUser = (element: XmlElement): boolean => element.children.some((c) => c.name === 'UserID')

const intsPadded = (user: XmlElement): XmlElement =>
  isCUser(user)
    ? {
        ...user,
        children: user.children.map((c) =>
          (INT_FIELDS as readonly string[]).includes(c.name) && c.text !== undefined ? { ...c, text: signedZeroPadded(c.text) } : c,
        ),
      }
    : user

const withMoreFields = (user: XmlElement): XmlElement =>
  isCUser(user) ? el(user.name, user.attrs, [...user.children, leaf('LastLoginDate', '2024-01-15T09:30:00'), leaf('IsLocked', 'false')]) : user

const LM_WORDING: Readonly<Record<string, string>> = {
  [AUTHENTICATION_FAILED]: 'Invalid API key, username or password.',
  [ACCESS_DENIED]: 'You do not have permission to administer this user.',
  [USER_NOT_FOUND]: 'The user could not be found.',
  [CANNOT_MOVE]: 'Users cannot be moved to another organisation here.',
  [ORGANISATION_NOT_FOUND]: 'The organisation could not be found.',
  [USERNAME_EXISTS]: 'That username is taken.',
}

const reworded: Around<Handler> = (next) => (ctx, params) => {
  try {
    return next(ctx, params)
  } catch (error) {
    const message = faultMessageOf(error)
    const other = message === undefined ? undefined : LM_WORDING[message]
    throw other === undefined ? error : new WebMethodError(other)
  }
}

export const LOGICMELON_VARIATIONS: readonly Variation[] = [
  {
    name: 'lm-boolean-digits',
    api: 'logicmelon',
    description: 'The seven CUser flags and UserDeleteResult are written 1/0 instead of true/false.',
    source: 'XML Schema Part 2 §3.2.2.1: the lexical space of xs:boolean is true, false, 1, 0; DESIGN: booleans compared by value',
    wraps: {
      logicmelon: [
        onOperations(ALL, (next) => (ctx, params) => next({ ...ctx, format: { ...ctx.format, flag: (value) => (value ? '1' : '0') } }, params)),
        onOperations(
          ['UserDelete'],
          answerMapped((answer) => ({ ...answer, text: answer.text === 'true' ? '1' : answer.text === 'false' ? '0' : answer.text })),
        ),
      ],
    },
  },
  {
    name: 'lm-int-spellings',
    api: 'logicmelon',
    description: 'CUser writes UserID, OrganisationID and UserRoleID with a sign and leading zeros (+00020001).',
    source: 'XML Schema Part 2 §3.3.13 and §3.3.17: the lexical space of xs:int allows an optional sign and leading zeros',
    wraps: { logicmelon: [onOperations(CUSER_ANSWERS, answerMapped(eachCUser(intsPadded)))] },
  },
  {
    name: 'lm-extra-fields',
    api: 'logicmelon',
    description: 'Each CUser carries two fields after the documented ones: LastLoginDate and IsLocked.',
    source: 'api-facts §3.2 (the field list comes from a help page, not a contract); DESIGN "Where the truth comes from": answer schemas stay open',
    wraps: { logicmelon: [onOperations(CUSER_ANSWERS, answerMapped(eachCUser(withMoreFields)))] },
  },
  {
    name: 'lm-user-list-order',
    api: 'logicmelon',
    description: 'UserList answers its users in descending UserID order.',
    source: 'api-facts §3.3: UserList "provides a mechanism to search for a list of users"; no order is documented',
    wraps: {
      logicmelon: [
        onOperations(
          ['UserList'],
          answerMapped((answer) => ({ ...answer, children: [...answer.children].reverse() })),
        ),
      ],
    },
  },
  {
    name: 'lm-fault-wording',
    api: 'logicmelon',
    description:
      'Operation faults word their exception message differently ("Server was unable to process request. ---> Invalid API key, username or password."); still HTTP 500 soap:Server.',
    source: 'api-facts §3.5: LogicMelon documents no error texts (failures surface as SOAP faults)',
    wraps: { logicmelon: [onOperations(ALL, reworded)] },
  },
]
