/** Failure categories, stable: CI pipelines and Allure categories match on them. */
export type Category = 'behaviour' | 'schema' | 'transport' | 'setup' | 'spec'

export interface SourceLocation {
  file: string
  line: number
  column: number
}

export function formatLocation(loc: SourceLocation | undefined): string {
  return loc ? `${loc.file}:${loc.line}:${loc.column}` : ''
}

/** A typed error with a stable code, a category and, where there is a file, a position in it. */
export class ConformError extends Error {
  readonly code: string
  readonly category: Category
  readonly location: SourceLocation | undefined

  constructor(code: string, category: Category, message: string, location?: SourceLocation) {
    super(message)
    this.name = 'ConformError'
    this.code = code
    this.category = category
    this.location = location
  }

  /** `file:line:col code message`, the shape every spec and config error is printed in. */
  describe(): string {
    const where = formatLocation(this.location)
    return `${where ? `${where} ` : ''}${this.code} ${this.message}`
  }
}

/** Several spec/config errors found in one pass: a run never starts half a suite. */
export class SpecErrors extends Error {
  readonly errors: ConformError[]
  constructor(errors: ConformError[]) {
    super(errors.map((e) => e.describe()).join('\n'))
    this.name = 'SpecErrors'
    this.errors = errors
  }
}
