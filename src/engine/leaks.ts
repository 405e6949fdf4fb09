/** what an answer must not carry. Pure. */

const STACK_OR_PATH = [
  { re: /\bat [A-Za-z_$][\w$.<>]*\s*\([^)]*\)/, what: 'a stack frame' },
  { re: /\b(?:System|Microsoft|java|javax)\.[\w.]*(?:Exception|Error)\b/, what: 'an exception type name' },
  { re: /\b[A-Z]\w*(?:Exception|Error):\s/, what: 'an exception type name' },
  { re: /Traceback \(most recent call last\)|node:internal\//, what: 'a stack trace' },
  { re: /(?:^|[\s"'(=])\/(?:home|usr|var|opt|srv|app|root|tmp)\/[\w.-]+\/[\w./-]+/, what: 'a server path' },
  { re: /\b[A-Z]:\\(?:[\w .-]+\\)+[\w .-]+/, what: 'a server path' },
]

export interface LeakFinding {
  behaviour: 'X-2' | 'X-3'
  message: string
}

export function scanAnswer(body: string, known: { passwords: string[]; tokens: string[] }): LeakFinding[] {
  const out: LeakFinding[] = []
  for (const { re, what } of STACK_OR_PATH) {
    if (re.test(body)) {
      out.push({ behaviour: 'X-2', message: `the answer leaks ${what}` })
      break
    }
  }
  if (known.passwords.some((p) => p.length >= 4 && body.includes(p))) out.push({ behaviour: 'X-3', message: 'the answer echoes a password' })
  if (known.tokens.some((t) => t.length >= 8 && body.includes(t))) out.push({ behaviour: 'X-3', message: 'the answer echoes a ticket or session that is not the caller’s' })
  return out
}
