/** The ECGrid enumerations, shared by SOAP and REST ("used across both REST and SOAP APIs"), in WSDL order. */
export const AUTH_LEVELS = ['NoChange', 'Root', 'TechOps', 'NetOps', 'NetworkAdmin', 'NetworkUser', 'MailboxAdmin', 'MailboxUser', 'TPUser', 'General'] as const

export type AuthLevel = (typeof AUTH_LEVELS)[number]

export const STATUSES = ['Development', 'Active', 'Preproduction', 'Suspended', 'Terminated'] as const

export type Status = (typeof STATUSES)[number]

export const isAuthLevel = (value: unknown): value is AuthLevel => (AUTH_LEVELS as readonly unknown[]).includes(value)

export const isStatus = (value: unknown): value is Status => (STATUSES as readonly unknown[]).includes(value)

/** A user's level: every AuthLevel but NoChange, which only means "keep" in update operations. */
export const USER_AUTH_LEVELS: readonly AuthLevel[] = AUTH_LEVELS.filter((level) => level !== 'NoChange')

/** The live v4.1 WSDL's CellCarrier (D1b), in WSDL order; NoChange only means "keep" in update operations. */
export const CELL_CARRIERS = [
  'NoChange',
  'Undefined',
  'ATTCingular',
  'Verizon',
  'TMobile',
  'SprintPCS',
  'Nextel',
  'Alltel',
  'VirginMobile',
  'ATTPreCingular',
  'ATT',
  'BoostMobile',
  'USCellular',
  'MetroPCS',
  'Powertel',
] as const

export type CellCarrier = (typeof CELL_CARRIERS)[number]

export const isCellCarrier = (value: unknown): value is CellCarrier => (CELL_CARRIERS as readonly unknown[]).includes(value)
