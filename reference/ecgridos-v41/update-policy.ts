/**
 * The rules of UserUpdate's keep values and AuthLevel ceiling (wiki "UserUpdate" remarks, api-facts §1.2):
 * "To keep current values, use the string "[Default]" for the string values. The ENUMs have NoUpdate values for
 * the same purpose" (the WSDL spells the member `NoChange`), and "The AuthLevel cannot be set higher than the
 * current session Authorization Level". A plain object, so that a deviation can replace one rule.
 */
import { AUTH_LEVELS, type AuthLevel } from '../ecgrid/enums.ts'

export const DEFAULT_STRING = '[Default]'
export const NO_CHANGE = 'NoChange'

export interface UpdatePolicy {
  /** Whether a string parameter's value keeps the field (`[Default]`; nil or left out in SOAP too). */
  keepsString(value: string | null): boolean
  /** Whether an enumeration parameter's value keeps the field (`NoChange`; left out reads as its first member, NoChange). */
  keepsEnum(value: string | null): boolean
  /** Whether a session of level `own` may give a user `level` (not higher than its own). */
  mayGrant(own: AuthLevel, level: AuthLevel): boolean
}

/** Root is the highest level, General the lowest (WSDL order after NoChange). */
export const rankOf = (level: AuthLevel): number => AUTH_LEVELS.indexOf(level)

export const documentedPolicy: UpdatePolicy = {
  keepsString: (value) => value === null || value === DEFAULT_STRING,
  keepsEnum: (value) => value === null || value === NO_CHANGE,
  mayGrant: (own, level) => rankOf(level) >= rankOf(own),
}
