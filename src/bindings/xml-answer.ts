import { parseXml, XmlLimitError, XmlSyntaxError, type XmlElement } from '../xml/tree.ts'
import { mediaType, type WireAnswer, type WireProblem } from './types.ts'

/** the answer's Content-Type must be the one the binding declares. */
export function contentTypeProblem(answer: WireAnswer, expected: string, also: string[] = []): WireProblem | undefined {
  const got = mediaType(answer.headers['content-type'])
  if (got === expected) return undefined
  return {
    behaviours: ['X-1', ...also],
    code: 'CONTENT_TYPE',
    message: `Content-Type is "${answer.headers['content-type'] ?? '(none)'}", the binding declares "${expected}"`,
  }
}

export type ParsedXml = { ok: true; root: XmlElement } | { ok: false; problem: WireProblem }

/** every XML answer is well-formed (and within XML_LIMITS, far beyond any real answer). */
export function parseAnswerXml(body: string): ParsedXml {
  try {
    return { ok: true, root: parseXml(body) }
  } catch (e) {
    const where = e instanceof XmlSyntaxError ? ` (line ${e.line}, column ${e.column})` : ''
    if (e instanceof XmlLimitError)
      return { ok: false, problem: { behaviours: ['X-1'], code: 'XML_TOO_LARGE', message: `the answer's XML is refused${where}: ${e.message}` } }
    return {
      ok: false,
      problem: { behaviours: ['X-1'], code: 'NOT_WELL_FORMED', message: `the answer is not well-formed XML${where}: ${(e as Error).message}` },
    }
  }
}

export function excerpt(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max)}…` : flat
}
