import type { ApiDescription } from '../spec/model.ts'

/**
 * When a call that presented a ticket is refused as if it had none, or a target names a parameter it missed, the
 * likeliest cause is a parameter name: the pages spell some differently from one example to the next (the
 * UpdateUserEmail page's SOAP example writes AuthenticationTicket, its table authenticationTicket). A failure then
 * says which name the suite sent and where api.yaml declares it, so the fix is one line of data.
 */

/** Answers that say "no ticket": infoRouter's [900], and the usual wordings elsewhere. */
const NO_TICKET = /\[900\]|authentication failed|not authenticated|invalid session ?id|missing (?:session|ticket)/i
/** ASMX over GET/POST: `Missing parameter: X.` */
const MISSING = /Missing parameter: ([A-Za-z_]\w*)/

export interface HintInput {
  api: ApiDescription
  operation: string
  /** The answer as it came (body text, or the decoded error text). */
  answerText: string
  /** Whether the call presented a ticket in the operation's token parameter. */
  presentedToken: boolean
}

/** A sentence to add to the failure, or undefined when nothing points at a parameter name. */
export function parameterHint(input: HintInput): string | undefined {
  const op = input.api.operations[input.operation]
  if (!op) return undefined
  const missing = MISSING.exec(input.answerText)?.[1]
  if (missing) {
    const declared = op.params.find((p) => p.toLowerCase() === missing.toLowerCase())
    if (declared && declared !== missing)
      return `hint: the target missed "${missing}"; the suite sent it as ${declared} (${where(input.api, input.operation, declared)}); over GET/POST names match case-insensitively on ASMX, so the target may expect another name`
    if (declared)
      return `hint: the target missed "${missing}", which the suite sends as declared (${where(input.api, input.operation, declared)}) unless the spec leaves it out`
    return `hint: the target asks for "${missing}", which ${input.operation} does not declare; the suite sent ${op.params.join(', ')} (${where(input.api, input.operation)})`
  }
  if (op.token && input.presentedToken && NO_TICKET.test(input.answerText)) {
    return `hint: the target answered as if no ticket had been sent; it may expect the ticket under another parameter name: the suite sent ${op.token} (${where(input.api, input.operation, op.token)})`
  }
  return undefined
}

/** `specs/inforouter/api.yaml:50:13`: where the operation declares the parameter (or its params). */
export function where(api: ApiDescription, operation: string, param?: string): string {
  const at = api.operations[operation]?.declaredAt
  return (param !== undefined ? at?.[param] : undefined) ?? at?.[''] ?? api.file
}
