/**
 * A deviation: a named, documented break of one or more behaviours (ids of specs/behaviours.yaml), as data plus the
 * wrappers that produce it. `W` is the wrapper type of the API's framework (AsmxWrap for ASMX services).
 */
export interface DeviationInfo {
  readonly name: string
  readonly api: string
  readonly breaks: readonly string[]
  readonly description: string
}

export interface Deviation<W> extends DeviationInfo {
  readonly wraps: readonly W[]
}
