/**
 * ScalarFormatter.FromString: how ASMX's HttpGet/HttpPost protocols turn each parameter's text into its declared
 * type once every parameter is present: `Convert.ChangeType` with the invariant culture (Int32.Parse, Int16.Parse,
 * Boolean.Parse) and `Enum.Parse` for enumerations. A failure is
 * `ArgumentException("Cannot convert {value} to {type}.", "type")`, whose message .NET ends with
 * "\r\nParameter name: type"; the protocol answers it as HTTP 500 text/plain. The values handed on are canonical
 * (`+05` → `5`, `True` → `true`, an enumeration member's name), as the SOAP reader hands them on.
 */
import { paramType, schemaTypeOf, type OperationSpec, type Params, type ServiceSpec, type XsdType } from './types.ts'

export type FormConversion = { readonly ok: true; readonly params: Params } | { readonly ok: false; readonly message: string }

/** .NET's Char.IsWhiteSpace over ASCII, as NumberStyles.Integer and String.Trim skip it. */
const trimNet = (text: string): string => text.replace(/^[\t\n\v\f\r \u0085\u00a0]+|[\t\n\v\f\r \u0085\u00a0]+$/g, '')

const INTEGER = /^[+-]?[0-9]+$/
const RANGES: Readonly<Record<string, readonly [bigint, bigint]>> = {
  's:int': [-2147483648n, 2147483647n],
  's:short': [-32768n, 32767n],
}

/** The .NET type names `type.FullName` gives (an enumeration: its schema name; the vendor's CLR namespace is unknown). */
const CLR_NAMES: Readonly<Record<string, string>> = {
  's:int': 'System.Int32',
  's:short': 'System.Int16',
  's:boolean': 'System.Boolean',
  's:dateTime': 'System.DateTime',
}

function toInteger(text: string, type: XsdType): string | undefined {
  const trimmed = trimNet(text)
  const range = RANGES[type]
  if (range === undefined || !INTEGER.test(trimmed)) return undefined
  const value = BigInt(trimmed)
  return value < range[0] || value > range[1] ? undefined : value.toString()
}

function toBoolean(text: string): string | undefined {
  const trimmed = trimNet(text.replace(/\0+$/, '')).toLowerCase()
  return trimmed === 'true' || trimmed === 'false' ? trimmed : undefined
}

/**
 * Enum.Parse(type, value), case-sensitive: a member name, a number, or a comma-separated list whose values are
 * OR-ed (as .NET does for any enumeration). Whatever does not come to a declared member is refused here (.NET
 * would hand an undefined number on; no caller of the reference needs that).
 */
function toEnum(text: string, values: readonly string[]): string | undefined {
  const trimmed = trimNet(text)
  if (trimmed === '') return undefined
  let index: number
  if (/^[0-9+-]/.test(trimmed)) {
    if (!INTEGER.test(trimmed)) return undefined
    index = Number(trimmed)
  } else {
    index = 0
    for (const part of trimmed.split(',')) {
      const at = values.indexOf(trimNet(part))
      if (at < 0) return undefined
      index |= at
    }
  }
  return values[index]
}

function convert(service: ServiceSpec, type: XsdType, text: string): string | undefined {
  if (type === 's:string') return text
  if (type === 's:boolean') return toBoolean(text)
  if (type === 's:int' || type === 's:short') return toInteger(text, type)
  const own = schemaTypeOf(service, type)
  return own?.kind === 'enum' ? toEnum(text, own.values) : text
}

const clrName = (type: XsdType): string => CLR_NAMES[type] ?? type.replace(/^tns:/, '')

/** Converts the typed parameters of `op`; untyped (string) parameters pass as they are. */
export function convertFormParams(service: ServiceSpec, op: OperationSpec, params: Params): FormConversion {
  const out: Record<string, string | null> = { ...params }
  for (const name of op.params) {
    const type = paramType(op, name)
    const text = params[name]
    if (type === 's:string' || text === null || text === undefined) continue
    const value = convert(service, type, text)
    if (value === undefined) return { ok: false, message: `Cannot convert ${text} to ${clrName(type)}.\r\nParameter name: type` }
    out[name] = value
  }
  return { ok: true, params: out }
}
