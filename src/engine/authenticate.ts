import type { BindingName, Outcome } from '../bindings/types.ts'
import { ConformError } from '../errors.ts'
import { evaluate, evaluateValue, Template, walk } from '../expr.ts'
import type { ApiDescription } from '../spec/model.ts'
import { offeredBindings } from '../spec/offered.ts'
import type { CallResult } from './client.ts'
import { excerpt } from '../bindings/xml-answer.ts'

/** Credentials an API wants as several parameters of every call (LogicMelon's sAPIKey, sUsername, sPassword). */
export interface Credentials {
  readonly kind: 'credentials'
  readonly params: Readonly<Record<string, string>>
  /** The params that carry one of the user's secrets (api `user.secrets`: a password, an API key). */
  readonly secret: readonly string[]
}

/** What a caller presents: one token value (a ticket, a session, an API key) or a set of credential parameters. */
export type Token = string | Credentials

export const isCredentials = (t: unknown): t is Credentials => typeof t === 'object' && t !== null && (t as Credentials).kind === 'credentials'

/**
 * The secret texts of a token, for redaction: a token value, or the credential params that carry a user secret. The
 * others (a user name, LogicMelon's culture "en-GB") are not secrets: redacting them would blank every "en-GB" of the run.
 */
export const tokenSecrets = (t: Token): string[] => (isCredentials(t) ? t.secret.map((p) => t.params[p]!) : [t])

export type Caller = (binding: BindingName, call: { operation: string; params: Record<string, unknown> }) => Promise<CallResult>

/** The binding to log in over: the check's own when the login operation offers it, else the first it offers. */
export function loginBinding(api: ApiDescription, preferred: BindingName | undefined, offered?: BindingName[]): BindingName | undefined {
  const candidates = offeredBindings(api, api.auth.login?.operation, offered)
  return preferred && candidates.includes(preferred) ? preferred : candidates[0]
}

/**
 * A user's token for the API: the credential they hold (an API key), or the token a login call answers.
 * `call` makes the login call (so a check records it and scans its answer like any other).
 */
export async function authenticate(api: ApiDescription, binding: BindingName, user: Record<string, unknown>, call: Caller): Promise<Token> {
  const { auth } = api
  const scope = (path: string[]) => walk({ user }, path)
  if (auth.credential instanceof Template) {
    const token = evaluate(auth.credential, scope)
    if (typeof token !== 'string' || !token)
      throw new ConformError('AUTH_FAILED', 'setup', `the ${String(user.role ?? '')} user has no credential (${auth.credential.source})`)
    return token
  }
  if (auth.credential !== undefined) {
    const params: Record<string, string> = {}
    const secret: string[] = []
    for (const [name, template] of Object.entries(auth.credential)) {
      const v = evaluate(template, scope)
      if (typeof v !== 'string' && typeof v !== 'number')
        throw new ConformError('AUTH_FAILED', 'setup', `the ${String(user.role ?? '')} user has no value for ${name} (${template.source})`)
      params[name] = String(v)
      if (template.parts.some((p) => p.kind === 'ref' && p.path[0] === 'user' && api.user.secrets.includes(p.path[1] ?? ''))) secret.push(name)
    }
    return { kind: 'credentials', params, secret }
  }
  const login = auth.login!
  const params = Object.fromEntries(Object.entries(login.params).map(([k, v]) => [k, evaluateValue(v, scope)]))
  const r = await call(binding, { operation: login.operation, params })
  const value = r.outcome.kind === 'answer' ? r.outcome.value : undefined
  const token = walk(value, (auth.token ?? '').split('.').filter(Boolean))
  if (!showsAcceptance(api, r.outcome) || typeof token !== 'string' || !token) {
    throw new ConformError(
      'AUTH_FAILED',
      'setup',
      `could not authenticate a ${String(user.role ?? '')} user with ${login.operation} over ${binding} (answer: ${describeAnswer(r)})`,
    )
  }
  return token
}

/** A login or read answer that was not what was asked, for a person: what came, and for an HTTP error its status and URL. */
export function describeAnswer(r: CallResult): string {
  const o = r.outcome
  switch (o.kind) {
    case 'answer':
      return excerpt(JSON.stringify(o.value) ?? '')
    case 'fault':
      return `a fault: ${o.reason} (HTTP ${o.status} from ${r.request.method} ${r.request.url})`
    case 'undecodable':
      return `undecodable (HTTP ${o.status} from ${r.request.method} ${r.request.url}): ${o.reason}`
    case 'http-error':
      return `HTTP ${o.status} ${o.contentType || '(no content type)'} from ${r.request.method} ${r.request.url}: ${excerpt(o.text)}`
  }
}

/** An answer in which the target accepted the caller: an answer (no fault, no HTTP error) showing `auth.expect`. */
export function showsAcceptance(api: ApiDescription, outcome: Outcome): boolean {
  if (outcome.kind !== 'answer') return false
  return Object.entries(api.auth.expect ?? {}).every(([p, v]) => String(walk(outcome.value, p.split('.'))) === v)
}
