import type { Socket } from 'node:net'

/**
 * HTTP lets a server send interim (1xx) answers before its answer whether or not the client asked (RFC 9110 §15.2: a
 * client must be able to parse 1xx answers it does not expect). undici 8 skips 103 Early Hints, but takes a 100 Continue
 * it did not ask for (it never sends Expect: 100-continue) for a broken answer and closes the connection, so the check
 * would fail as a dropped connection. This drops interim answers where an answer starts, before undici reads them
 * (all of them, the 103s too: what follows one may be a 100 again). 101 Switching Protocols is left to undici.
 *
 * An answer starts with the first bytes read after a request is written: undici writes the next request on a
 * connection only once the answer before it is complete. (A request body still being written while an early answer
 * comes in makes the next bytes look like a start: they are kept unless they begin like an interim answer.) Only
 * `read` and `write` of the socket undici is handed are wrapped; connections through a proxy are undici's own, and an
 * interim answer longer than MAX_INTERIM_BYTES is passed on as it is (and fails as before).
 */
export const MAX_INTERIM_BYTES = 16 * 1024

/** "HTTP/1.x 1dd": X stands for 0 or 1, D for a digit. */
const TEMPLATE = 'HTTP/1.X 1DD'
const END_OF_HEAD = Buffer.from('\r\n\r\n', 'latin1')

function fits(data: Buffer, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const t = TEMPLATE[i]!
    const c = data[i]!
    const ok = t === 'X' ? c === 0x30 || c === 0x31 : t === 'D' ? c >= 0x30 && c <= 0x39 : c === t.charCodeAt(0)
    if (!ok) return false
  }
  return true
}

type Decision = { drop: number } | { keep: true } | { wait: true }

/** What to do with the start of an answer: drop a complete interim answer (its length), keep it, or wait for more. */
export function interimAtStart(data: Buffer): Decision {
  if (!fits(data, Math.min(data.length, TEMPLATE.length))) return { keep: true }
  if (data.length <= TEMPLATE.length) return { wait: true }
  // Then a space (the reason) or the line's end: "HTTP/1.1 1000" is no 1xx. 101 belongs to undici.
  const next = data[TEMPLATE.length]
  if ((next !== 0x20 && next !== 0x0d) || data.subarray(9, 12).toString('latin1') === '101') return { keep: true }
  const end = data.indexOf(END_OF_HEAD)
  if (end >= 0) return { drop: end + END_OF_HEAD.length }
  return data.length > MAX_INTERIM_BYTES ? { keep: true } : { wait: true }
}

/** Makes `socket` skip interim answers (100, 102, 103…) before each answer (see above); returns it. */
export function skipContinue(socket: Socket): Socket {
  const read = socket.read.bind(socket)
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean
  let atStart = false
  let held: Buffer | undefined
  const filteredRead = (size?: number): unknown => {
    for (;;) {
      const chunk = read(size) as Buffer | string | null
      if (chunk === null || !atStart || typeof chunk === 'string') return chunk
      let data = held ? Buffer.concat([held, chunk]) : chunk
      held = undefined
      for (;;) {
        const decision = interimAtStart(data)
        if ('keep' in decision) {
          atStart = false
          return data
        }
        if ('wait' in decision) {
          held = data
          break
        }
        data = data.subarray(decision.drop)
        if (data.length === 0) break
      }
    }
  }
  const startingWrite = (...args: unknown[]): boolean => {
    atStart = true
    return write(...args)
  }
  Object.assign(socket, { read: filteredRead, write: startingWrite })
  return socket
}
