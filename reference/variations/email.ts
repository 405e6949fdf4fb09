/**
 * A strict reading of "a valid email address": RFC 5322's dot-atom local part (no quoted strings, no
 * comments), a host name of at least two labels whose last is alphabetic, and RFC 5321's length limits.
 * Stricter than the reference's rule (something@something.something), as an implementation may be.
 */
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
const LOCAL = new RegExp(`^${ATEXT}(\\.${ATEXT})*$`)
const LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/
const TOP_LABEL = /^[A-Za-z]{2,63}$/

export function isStrictEmail(address: string): boolean {
  if (address.length > 254) return false
  const at = address.lastIndexOf('@')
  if (at <= 0 || address.indexOf('@') !== at) return false
  const local = address.slice(0, at)
  const labels = address.slice(at + 1).split('.')
  return (
    local.length <= 64 && LOCAL.test(local) && labels.length >= 2 && labels.every((label) => LABEL.test(label)) && TOP_LABEL.test(labels[labels.length - 1]!)
  )
}
