/**
 * Fault codes compare by meaning. The decoder resolves the answer's code to `soap:Local` (the envelope namespace,
 * whatever the prefix) or `{uri}local`; a spec writes the same forms. Beyond equality:
 * - SOAP 1.1 and 1.2 name the same two classes differently: `soap:Client` is 1.2's `soap:Sender`, `soap:Server` is
 *   `soap:Receiver` (SOAP 1.2 part 1 §5.4.6), so one spec line serves both versions;
 * - a code refines another: SOAP 1.1 by dots (`soap:Client.Authentication` is a `soap:Client`), SOAP 1.2 by
 *   subcodes (Code/Subcode/Value); an expected code matches the code or any of its subcodes.
 * `pattern` and `startsWith` (expectations.ts) apply to the resolved form of the main code.
 */

const SAME: Record<string, string> = { 'soap:Sender': 'soap:Client', 'soap:Receiver': 'soap:Server' }
const norm = (code: string): string => SAME[code] ?? code

function refines(got: string, expected: string): boolean {
  const e = norm(expected)
  if (norm(got) === e) return true
  // SOAP 1.1 refinement by dots in the local part: soap:Client.Authentication.Session is a soap:Client.Authentication
  for (let dot = got.indexOf('.', got.lastIndexOf('}') + 1); dot > 0; dot = got.indexOf('.', dot + 1)) {
    if (norm(got.slice(0, dot)) === e) return true
  }
  return false
}

/** Whether an answer's fault code (with its subcodes) is the expected code or a refinement of it. */
export function isFaultCode(expected: string, code: string, subcodes: readonly string[] = []): boolean {
  return [code, ...subcodes].some((c) => refines(c, expected))
}
