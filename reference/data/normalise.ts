/**
 * What normalising implementations do to the text they are given, for the deviations that break "stored as given":
 * each is one real-world habit (a case-folding column, a Latin-1 or ASCII database, MySQL's three-byte utf8, a number
 * column behind a text field).
 */

/** An address folded to lower case, local part and all (RFC 5321 §2.4: the local part is case-sensitive). */
export const lowerCased = (text: string): string => text.toLowerCase()

/** Characters beyond Latin-1 written as '?', as a Windows-1252 column stores them. */
export const latin1Only = (text: string): string => text.replace(/[^\u0000-\u00ff]/gu, '?')

/** Characters beyond ASCII written as '?'. */
export const asciiOnly = (text: string): string => text.replace(/[^\u0000-\u007f]/gu, '?')

/** Characters beyond the Basic Multilingual Plane dropped, as MySQL's three-byte utf8 does. */
export const withoutAstral = (text: string): string => text.replace(/[\u{10000}-\u{10FFFF}]/gu, '')

/** A text of digits stored as a number: its leading zeros are lost (`0770…` → `770…`); other text unchanged. */
export const digitsAsNumber = (text: string): string => (/^\d+$/.test(text) ? String(Number(text)) : text)
