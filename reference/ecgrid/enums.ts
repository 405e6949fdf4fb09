/** The ECGrid enumerations, shared by SOAP and REST ("used across both REST and SOAP APIs"), in WSDL order. */
export const AUTH_LEVELS = [
  'NoChange',
  'Root',
  'TechOps',
  'NetOps',
  'NetworkAdmin',
  'NetworkUser',
  'MailboxAdmin',
  'MailboxUser',
  'TPUser',
  'General',
] as const

export type AuthLevel = (typeof AUTH_LEVELS)[number]

export const STATUSES = ['Development', 'Active', 'Preproduction', 'Suspended', 'Terminated'] as const

export type Status = (typeof STATUSES)[number]

export const isAuthLevel = (value: unknown): value is AuthLevel => (AUTH_LEVELS as readonly unknown[]).includes(value)

export const isStatus = (value: unknown): value is Status => (STATUSES as readonly unknown[]).includes(value)

/** A user's level: every AuthLevel but NoChange, which only means "keep" in update operations. */
export const USER_AUTH_LEVELS: readonly AuthLevel[] = AUTH_LEVELS.filter((level) => level !== 'NoChange')
