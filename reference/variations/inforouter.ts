/** infoRouter variations: other wordings around the documented error codes, undocumented attributes on answers. */
import type { AsmxWrap } from '../asmx/pipeline.ts'
import { attrOf, withAttr, type XmlElement } from '../asmx/xml.ts'
import type { IrContext } from '../inforouter/context.ts'
import { INFOROUTER_OPERATIONS } from '../inforouter/operations/index.ts'
import type { Variation } from './types.ts'
import { answerMapped, mapDeep } from './wraps.ts'

const ALL = INFOROUTER_OPERATIONS.map((op) => op.name)

const onAnswers = (f: (element: XmlElement) => XmlElement): AsmxWrap<IrContext> => ({
  layer: 'operation',
  operations: ALL,
  around: answerMapped<IrContext, string | null>((answer) => mapDeep(answer, f)),
})

const CODED = /^\[(\d+)\]\s*(.*)$/s

/** Every `error="[NNN] text"` with the text `reword(code, text)` gives; errors without a bracketed code unchanged. */
const errorsReworded = (reword: (code: string, text: string) => string): AsmxWrap<IrContext> =>
  onAnswers((element) => {
    const error = attrOf(element, 'error')
    const coded = error === undefined ? null : CODED.exec(error)
    return coded ? withAttr(element, 'error', reword(coded[1]!, coded[2]!)) : element
  })

const OTHER_WORDING: Readonly<Record<string, string>> = {
  '900': 'Invalid or missing authentication ticket.',
  '901': 'The ticket has expired or is not valid.',
}

const DOCUMENTED_VARIANT: Readonly<Record<string, string>> = {
  '901': 'Session expired or invalid ticket',
}

const EXTRA_ATTRIBUTES: Readonly<Record<string, ReadonlyArray<readonly [string, string]>>> = {
  response: [['serverVersion', '8.5.1']],
  root: [['serverVersion', '8.5.1']],
  User: [
    ['Culture', 'en-US'],
    ['PasswordNeverExpires', 'FALSE'],
  ],
}

/** `2024-01-15 09:30:00` from an ISO instant ("" when there is none). */
const dateTime = (iso: string | null): string => (iso === null ? '' : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`)

/** <User> dates with their time of day, from the stored instants. */
const datesWithTime: AsmxWrap<IrContext> = {
  layer: 'operation',
  operations: ['GetUser'],
  around: (next) => (ctx, params) =>
    mapDeep(next(ctx, params), (element) => {
      const user = element.name === 'User' ? ctx.users.findByName(attrOf(element, 'UserName') ?? '') : undefined
      return user === undefined
        ? element
        : withAttr(withAttr(element, 'LastLogonDate', dateTime(user.lastLogonAt)), 'LastPasswordChangeDate', dateTime(user.passwordChangedAt))
    }),
}

export const INFOROUTER_VARIATIONS: readonly Variation[] = [
  {
    name: 'ir-error-wording',
    api: 'inforouter',
    description:
      'Errors with a bracketed code word their text differently: "[901] The ticket has expired or is not valid.", "[900] Invalid or missing authentication ticket.".',
    source: 'DESIGN D6: error texts are matched on their bracketed code where the page gives one; the exact wording is a SHOULD',
    wraps: { inforouter: [errorsReworded((code, text) => `[${code}] ${OTHER_WORDING[code] ?? text}`)] },
  },
  {
    name: 'ir-error-code-unspaced',
    api: 'inforouter',
    description: 'Errors with a bracketed code have no space after it, and [901] says "invalid" in lower case: "[901]Session expired or invalid ticket".',
    source: 'api-facts §4.5: the pages themselves write "[901]Session expired or Invalid ticket" without a space, and with a lower-case "invalid"; DESIGN D6',
    wraps: { inforouter: [errorsReworded((code, text) => `[${code}]${DOCUMENTED_VARIANT[code] ?? text}`)] },
  },
  {
    name: 'ir-dates-with-time',
    api: 'inforouter',
    description: 'GetUser writes LastLogonDate and LastPasswordChangeDate with the time of day (2024-01-15 09:30:00).',
    source:
      'api-facts §4.3: an infoRouter client reads LastLogonDate as "%Y-%m-%d %H:%M:%S" (older servers wrote the time); the pages show the date only, and no behaviour rests on these attributes',
    wraps: { inforouter: [datesWithTime] },
  },
  {
    name: 'ir-ticket-upper-case',
    api: 'inforouter',
    description: 'AuthenticateUser answers the ticket GUID in upper case (3F2A1B4C-5D6E-…); tickets are accepted in any case, as before.',
    source:
      'DESIGN D6 and api-facts §4.2: the ticket is a GUID; RFC 9562 §4: UUID text is case-insensitive on input (.NET writes upper case with ToString().ToUpper())',
    wraps: {
      inforouter: [
        {
          layer: 'operation',
          operations: ['AuthenticateUser'],
          around: answerMapped<IrContext, string | null>((answer) => {
            const ticket = attrOf(answer, 'ticket')
            return ticket === undefined ? answer : withAttr(answer, 'ticket', ticket.toUpperCase())
          }),
        },
      ],
    },
  },
  {
    name: 'ir-extra-attributes',
    api: 'inforouter',
    description: 'Answers carry attributes the pages do not list: serverVersion on <response> and <root>, Culture and PasswordNeverExpires on <User>.',
    source:
      'DESIGN "Where the truth comes from": answer schemas stay open to what the pages do not mention; api-facts §4.3 (the pages already disagree on the attributes of <User>)',
    wraps: { inforouter: [onAnswers((element) => (EXTRA_ATTRIBUTES[element.name] ?? []).reduce((e, [name, value]) => withAttr(e, name, value), element))] },
  },
]
