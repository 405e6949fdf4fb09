/**
 * What a check records is capped where it is recorded, so that reports stay in proportion to what a reader can use
 * whatever a target sends: a 4.6 MB answer, or a failure message quoting it, is kept as its start and a note of the cut.
 */

/** Characters of one recorded request or answer body. */
export const MAX_RECORDED_BODY = 128 * 1024
/** Characters of one failure message (or error) of a check. */
export const MAX_FAILURE_MESSAGE = 4 * 1024

/**
 * `text` when it is at most `max` characters, else its first `max` characters and "… [cut: N more]" (N in bytes of
 * UTF-8). `redact` runs on a text before it is cut: a secret cut in two would no longer be recognised afterwards.
 */
export function capText(text: string, max: number, redact: (text: string) => string = (t) => t): string {
  if (text.length <= max) return text
  const whole = redact(text)
  if (whole.length <= max) return whole
  // Never half a surrogate pair.
  const end = isHighSurrogate(whole.charCodeAt(max - 1)) ? max - 1 : max
  return `${whole.slice(0, end)}… [cut: ${size(Buffer.byteLength(whole.slice(end), 'utf8'))} more]`
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}
