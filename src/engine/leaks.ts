import { Redactor } from '../redact.ts'

/**
 * what an answer must not carry, in its body or its headers. Pure: an answer and the check's secrets in,
 * findings out. Each finding's message starts with its stable code.
 */

const STACK_OR_PATH = [
  { re: /\bat [A-Za-z_$][\w$.<>]*\s*\([^)]*\)/, what: 'a stack frame' },
  { re: /\b(?:System|Microsoft|java|javax)\.[\w.]*(?:Exception|Error)\b/, what: 'an exception type name' },
  { re: /\b[A-Z]\w*(?:Exception|Error):\s/, what: 'an exception type name' },
  { re: /Traceback \(most recent call last\)|node:internal\//, what: 'a stack trace' },
  { re: /(?:^|[\s"'(=])\/(?:home|usr|var|opt|srv|app|root|tmp)\/[\w.-]+\/[\w./-]+/, what: 'a server path' },
  { re: /\b[A-Z]:\\(?:[\w .-]+\\)+[\w .-]+/, what: 'a server path' },
]

/** Stable codes of the findings, first in their messages. */
export type LeakCode = 'STACK_TRACE' | 'BODY_LEAK' | 'HEADER_LEAK'

export interface LeakFinding {
  behaviour: 'X-2' | 'X-3'
  code: LeakCode
  message: string
}

/**
 * The secrets a check holds: `passwords` are every credential of its users (passwords, API keys), never to be sent
 * back; `tokens` the tickets and sessions that are not the caller's own (its own may come back: a login answers it).
 */
export interface CheckSecrets {
  passwords: readonly string[]
  tokens: readonly string[]
}

/** Shorter secrets are not looked for: they would be found by chance (a 3-letter password in any word). */
const MIN_PASSWORD = 4
const MIN_TOKEN = 8

/**
 * Whether a text holds a secret, in any form the redactor knows: as written, percent- or form-encoded, XML- or
 * JSON-escaped, base64 (HTTP Basic credentials and others). The redactor is the one place those encodings live.
 */
export type SecretFinder = (text: string) => boolean

export function secretFinder(secrets: readonly string[]): SecretFinder {
  if (secrets.length === 0) return () => false
  const redactor = new Redactor()
  for (const s of secrets) redactor.add(s)
  return (text) => text.length > 0 && redactor.redact(text) !== text
}

/** Finders for a check's secrets, by kind (what a finding says it found). */
export interface SecretFinders {
  password: SecretFinder
  token: SecretFinder
}

export function secretFinders(secrets: CheckSecrets): SecretFinders {
  return {
    password: secretFinder(secrets.passwords.filter((p) => p.length >= MIN_PASSWORD)),
    token: secretFinder(secrets.tokens.filter((t) => t.length >= MIN_TOKEN)),
  }
}

const PASSWORD_WORDS = 'a password or API key'
const TOKEN_WORDS = 'a ticket or session that is not the caller’s'

/** findings about an answer's body. */
export function scanAnswer(body: string, secrets: CheckSecrets | SecretFinders): LeakFinding[] {
  const find = 'password' in secrets ? secrets : secretFinders(secrets)
  const out: LeakFinding[] = []
  for (const { re, what } of STACK_OR_PATH) {
    if (re.test(body)) {
      out.push({ behaviour: 'X-2', code: 'STACK_TRACE', message: `[STACK_TRACE] the answer leaks ${what}` })
      break
    }
  }
  if (find.password(body)) out.push({ behaviour: 'X-3', code: 'BODY_LEAK', message: `[BODY_LEAK] the answer echoes ${PASSWORD_WORDS}` })
  if (find.token(body)) out.push({ behaviour: 'X-3', code: 'BODY_LEAK', message: `[BODY_LEAK] the answer echoes ${TOKEN_WORDS}` })
  return out
}

/**
 * X-3 findings about an answer's headers (a cookie, a debug header, an echoed request header): each header's name and
 * value are looked at. The message names the headers, never what they hold.
 */
export function scanHeaders(headers: Readonly<Record<string, string | readonly string[] | undefined>>, secrets: CheckSecrets | SecretFinders): LeakFinding[] {
  const find = 'password' in secrets ? secrets : secretFinders(secrets)
  const named = (f: SecretFinder) =>
    Object.entries(headers)
      .filter(([name, v]) => {
        const values = v === undefined ? [] : typeof v === 'string' ? [v] : v
        return values.some((value) => f(`${name}: ${value}`))
      })
      .map(([name]) => name)
  const out: LeakFinding[] = []
  for (const [f, words] of [
    [find.password, PASSWORD_WORDS],
    [find.token, TOKEN_WORDS],
  ] as const) {
    const names = named(f)
    if (names.length)
      out.push({
        behaviour: 'X-3',
        code: 'HEADER_LEAK',
        message: `[HEADER_LEAK] the answer's ${names.join(', ')} header${names.length > 1 ? 's echo' : ' echoes'} ${words}`,
      })
  }
  return out
}

/** Every finding about one answer: its body and its headers. */
export function scanWireAnswer(
  answer: { body: string; headers: Readonly<Record<string, string | readonly string[] | undefined>> },
  secrets: CheckSecrets | SecretFinders,
): LeakFinding[] {
  const find = 'password' in secrets ? secrets : secretFinders(secrets)
  return [...scanAnswer(answer.body, find), ...scanHeaders(answer.headers, find)]
}
