import { bindingFor, isImplemented } from '../bindings/index.ts'
import type { BindingName } from '../bindings/types.ts'
import type { Catalogue } from '../catalogue.ts'
import type { ConformError } from '../errors.ts'
import { compileTemplates, Template } from '../expr.ts'
import { isNil, type SourceFile } from '../yaml/source.ts'
import { compileCall, readCall } from './calls.ts'
import type { ApiDescription, Call, Equivalent, LoadedThen, Spec, Then } from './model.ts'
import { checkAgainstSchema } from './schema-check.ts'
import { offeredBindings } from './offered.ts'
import { patternProblem } from './safe-regex.ts'
import { checkTemplates, fakeRule, type RefRule } from './templates.ts'
import { coveredBy, isGiven, paramGroups } from './params.ts'

type RawSpec = Omit<Spec, 'users' | 'caller' | 'vars' | 'before' | 'when' | 'then' | 'file' | 'source'> & {
  then: Then
  given?: { users?: Spec['users']; caller?: string | { token: Spec['when']['params'][string] } | { user: string; session?: 'expired' } }
  vars?: Record<string, string>
  via?: Spec['via']
  before?: object[]
  when: object
  equivalent?: Omit<Equivalent, 'when' | 'instants'> & { when: object; instants?: string[] }
}

/** Reads one spec file and checks it against the catalogue and the API it names. */
export function loadSpec(source: SourceFile, catalogue: Catalogue, apis: ReadonlyMap<string, ApiDescription>): { spec?: Spec; errors: ConformError[] } {
  const errors = checkAgainstSchema(source, 'spec.schema.json')
  if (errors.length) return { errors }
  const raw = source.data as RawSpec
  const api = apis.get(raw.api)
  if (!api) {
    return { errors: [source.error('UNKNOWN_API', `unknown api "${raw.api}" (expected one of: ${[...apis.keys()].join(', ')})`, ['api'])] }
  }
  raw.covers.forEach((id, i) => {
    const b = catalogue.get(id)
    if (!b) errors.push(source.error('UNKNOWN_BEHAVIOUR', `unknown behaviour "${id}" (not in specs/behaviours.yaml)`, ['covers', i]))
    else if (b.api !== raw.api && b.api !== '*') errors.push(source.error('WRONG_API', `behaviour ${id} belongs to ${b.api}, not ${raw.api}`, ['covers', i]))
  })
  const users = raw.given?.users ?? {}
  for (const [alias, u] of Object.entries(users)) {
    if (!api.roles.includes(u.role))
      errors.push(source.error('UNKNOWN_ROLE', `unknown role "${u.role}" (expected one of: ${api.roles.join(', ')})`, ['given', 'users', alias, 'role']))
  }
  const callerRaw = raw.given?.caller
  const caller: Spec['caller'] =
    typeof callerRaw === 'string' ? { user: callerRaw } : callerRaw && 'user' in callerRaw ? callerRaw : callerRaw ? { token: callerRaw.token } : undefined
  if (caller && 'user' in caller && !users[caller.user]) {
    errors.push(
      source.error('UNKNOWN_USER', `caller "${caller.user}" is not among given.users (${Object.keys(users).join(', ') || 'none'})`, ['given', 'caller']),
    )
  }
  const before = (raw.before ?? []).map((c, i) => readCall(c, ['before', i]))
  const when = readCall(raw.when, ['when'])
  const vars = raw.vars ?? {}

  const varNames = Object.keys(vars)
  const rule =
    (allowedVars: string[], answers: string[]): RefRule =>
    (path) => {
      const root = path[0] ?? ''
      if (root === 'fake') return fakeRule(path)
      if (root === 'vars')
        return allowedVars.includes(path[1] ?? '')
          ? undefined
          : `unknown variable "${path[1] ?? ''}" (defined before this point: ${allowedVars.join(', ') || 'none'})`
      if (root === 'answers')
        return answers.includes(path[1] ?? '') ? undefined : `no earlier answer of "${path[1] ?? ''}" (earlier calls: ${answers.join(', ') || 'none'})`
      if (users[root]) {
        const field = path[1] ?? ''
        const known = new Set([...Object.keys(api.user.fields), ...Object.keys(api.user.provision), ...api.user.attributes, api.user.key])
        return known.has(field) ? undefined : `user ${root} has no field "${field}" (expected one of: ${[...known].join(', ')})`
      }
      return `unknown name "${root}" (expected a user alias (${Object.keys(users).join(', ') || 'none'}), vars, answers or fake)`
    }
  varNames.forEach((name, i) => errors.push(...checkTemplates(source, ['vars', name], vars[name], rule(varNames.slice(0, i), []))))
  const ops = [...before, when]
  ops.forEach((call, i) => {
    checkCall(source, api, call, errors)
    errors.push(
      ...checkTemplates(
        source,
        call.at,
        call.params,
        rule(
          varNames,
          ops.slice(0, i).map((c) => c.operation),
        ),
      ),
    )
  })
  const allOps = ops.map((c) => c.operation)
  errors.push(...checkTemplates(source, ['then'], raw.then, rule(varNames, allOps)))
  if (caller && 'token' in caller) errors.push(...checkTemplates(source, ['given', 'caller', 'token'], caller.token, rule(varNames, [])))
  if (caller && 'user' in caller && caller.session && !api.auth.login) {
    errors.push(
      source.error('NO_SESSION', `given.caller.session: ${api.api} has no sessions (its calls carry credentials), so none can expire`, [
        'given',
        'caller',
        'session',
      ]),
    )
  }
  for (const [alias, u] of Object.entries(users)) {
    for (const [field, value] of Object.entries(u.set ?? {})) {
      const at = ['given', 'users', alias, 'set', field]
      if (!api.restorable.includes(field))
        errors.push(
          source.error(
            'UNKNOWN_FIELD',
            `given.users.${alias}.set: "${field}" is not a field the restore call writes back (expected one of: ${api.restorable.join(', ')})`,
            at,
            { key: true },
          ),
        )
      // Written before vars and calls: only fake values and the users' own fields.
      else errors.push(...checkTemplates(source, at, value, rule([], [])))
    }
  }
  checkThen(source, raw.then, users, api, errors)
  errors.push(...checkPatterns(source, raw.then))
  const bindings = checkBindings(source, raw, api, catalogue, ops, errors)
  const equivalent = raw.equivalent ? readEquivalent(source, raw, api, apis, catalogue, errors) : undefined
  if (equivalent) errors.push(...checkTemplates(source, equivalent.when.at, equivalent.when.params, rule(varNames, allOps)))
  if (equivalent && !(caller && 'user' in caller)) {
    errors.push(
      source.error(
        'EQUIVALENT_NEEDS_CALLER',
        'equivalent: the same update is made by the same user through the other API: given.caller must name a user',
        ['equivalent'],
        { key: true },
      ),
    )
  }
  if (errors.length) return { errors }
  return {
    errors,
    spec: {
      id: raw.id,
      title: raw.title,
      covers: raw.covers,
      api: raw.api,
      ...(bindings ? { bindings } : {}),
      ...(raw.notes ? { notes: raw.notes } : {}),
      via: raw.via ?? 'suite',
      // Every template parsed once, here: the engine evaluates these, it never parses.
      users: compileTemplates(users),
      ...(caller ? { caller: compileTemplates(caller) } : {}),
      vars: compileTemplates(vars),
      before: before.map(compileCall),
      when: compileCall(when),
      then: compileTemplates(raw.then) as LoadedThen,
      ...(equivalent ? { equivalent: { ...equivalent, when: compileCall(equivalent.when) } } : {}),
      file: source.file,
      positions: source.positions(),
    },
  }
}

function readEquivalent(
  source: SourceFile,
  raw: RawSpec,
  api: ApiDescription,
  apis: ReadonlyMap<string, ApiDescription>,
  catalogue: Catalogue,
  errors: ConformError[],
): Equivalent | undefined {
  const eq = raw.equivalent!
  const other = apis.get(eq.api)
  if (!other || other === api) {
    errors.push(
      source.error(
        'UNKNOWN_API',
        other
          ? `equivalent: the other API must not be ${api.api} itself`
          : `unknown api "${eq.api}" (expected one of: ${[...apis.keys()].filter((a) => a !== api.api).join(', ')})`,
        ['equivalent', 'api'],
      ),
    )
    return undefined
  }
  const when = readCall(eq.when, ['equivalent', 'when'])
  checkCall(source, other, when, errors)
  const offered = offeredBindings(other, when.operation)
  if (other.operations[when.operation] && !offered.includes(eq.binding))
    errors.push(
      source.error('UNKNOWN_BINDING', `${when.operation} of ${other.api} is not offered over ${eq.binding} (offered: ${offered.join(', ')})`, [
        'equivalent',
        'binding',
      ]),
    )
  if (!raw.covers.some((id) => catalogue.get(id)?.bindings.includes(eq.binding))) {
    errors.push(source.error('BINDING_NOT_APPLICABLE', `none of ${raw.covers.join(', ')} applies to ${eq.binding}`, ['equivalent', 'binding']))
  }
  eq.fields.forEach((f, i) => {
    const missing = [api, other].filter((a) => !a.user.fields[f]).map((a) => a.api)
    if (missing.length)
      errors.push(
        source.error(
          'UNKNOWN_FIELD',
          `equivalent: "${f}" is not a user field of ${missing.join(' and ')} (fields of both: ${Object.keys(api.user.fields)
            .filter((k) => other.user.fields[k])
            .join(', ')})`,
          ['equivalent', 'fields', i],
        ),
      )
  })
  ;(eq.instants ?? []).forEach((f, i) => {
    if (!eq.fields.includes(f))
      errors.push(source.error('UNKNOWN_FIELD', `equivalent: instant "${f}" is not among the compared fields`, ['equivalent', 'instants', i]))
  })
  return { api: eq.api, binding: eq.binding, when, fields: eq.fields, instants: eq.instants ?? [] }
}

function checkCall(source: SourceFile, api: ApiDescription, call: Call, errors: ConformError[]): void {
  const op = api.operations[call.operation]
  if (!op) {
    errors.push(
      source.error(
        'UNKNOWN_OPERATION',
        `unknown operation "${call.operation}" of ${api.api} (expected one of: ${Object.keys(api.operations).join(', ')})`,
        call.at,
        { key: true },
      ),
    )
    return
  }
  for (const p of Object.keys(call.params)) {
    if (p === '$raw' || p === '$contentType') {
      if (!op.http)
        errors.push(source.error('RAW_NOT_SUPPORTED', `${p} is only for rest-json operations (it sends a body as is)`, [...call.at, p], { key: true }))
      continue
    }
    if (!op.params.includes(p) && !paramGroups(op.params).includes(p)) {
      errors.push(
        source.error(
          'UNKNOWN_PARAM',
          `${call.operation} has no parameter "${p}" (expected one of: ${op.params.join(', ')}; names are case-sensitive)`,
          [...call.at, p],
          { key: true },
        ),
      )
    }
  }
  const raw = Object.hasOwn(call.params, '$raw')
  const credentialParams = api.auth.credential && !(api.auth.credential instanceof Template) ? Object.keys(api.auth.credential) : []
  const missing = raw
    ? []
    : op.params.filter(
        (p) => p !== op.token && !credentialParams.includes(p) && !coveredBy(p, op.optional) && !isGiven(p, (n) => Object.hasOwn(call.params, n)),
      )
  if (missing.length) {
    errors.push(
      source.error('MISSING_PARAM', `${call.operation} needs ${missing.join(', ')} (write !omit to leave a parameter out on purpose)`, call.at, { key: true }),
    )
  }
}

/**
 * Every `{ pattern: … }` under then: a regular expression the matcher runs (in linear time), checked here so that a
 * bad one is a spec error before anything is sent. `${…}` values in it count as a plain letter.
 */
function checkPatterns(source: SourceFile, then: unknown): ConformError[] {
  const errors: ConformError[] = []
  const walk = (v: unknown, path: Array<string | number>) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]))
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>
      if (Object.keys(o).length === 1 && typeof o.pattern === 'string') {
        const problem = patternProblem(o.pattern.replace(/\$\{[^}]*\}/g, 'x'))
        if (problem) errors.push(source.error(problem.code, problem.message, [...path, 'pattern']))
        return
      }
      for (const [k, x] of Object.entries(o)) walk(x, [...path, k])
    }
  }
  walk(then, ['then'])
  return errors
}

function checkThen(source: SourceFile, then: Then, users: Spec['users'], api: ApiDescription, errors: ConformError[]): void {
  const outcomes = ['response', 'fault', 'httpError', 'any'].filter((k) => k in then)
  if (outcomes.length > 1) {
    // Point at the outcome written last: the one that conflicts with what came before it.
    const pos = (k: string) => {
      const l = source.locate(['then', k], { key: true })
      return l.line * 1e6 + l.column
    }
    const last = outcomes.reduce((a, b) => (pos(b) > pos(a) ? b : a))
    errors.push(
      source.error('CONFLICTING_OUTCOMES', `then has ${outcomes.join(' and ')}: give one, or list alternatives under any:`, ['then', last], { key: true }),
    )
  }
  ;(then.unchanged ?? []).forEach((alias, i) => {
    if (!users[alias]) errors.push(source.error('UNKNOWN_USER', `unchanged: "${alias}" is not among given.users`, ['then', 'unchanged', i]))
  })
  for (const [alias, fields] of Object.entries(then.state ?? {})) {
    if (!users[alias]) errors.push(source.error('UNKNOWN_USER', `state: "${alias}" is not among given.users`, ['then', 'state', alias], { key: true }))
    for (const f of Object.keys(fields)) {
      if (!api.user.fields[f])
        errors.push(
          source.error(
            'UNKNOWN_FIELD',
            `state: users have no field "${f}" (expected one of: ${Object.keys(api.user.fields).join(', ')})`,
            ['then', 'state', alias, f],
            { key: true },
          ),
        )
    }
  }
}

function checkBindings(
  source: SourceFile,
  raw: RawSpec,
  api: ApiDescription,
  catalogue: Catalogue,
  calls: Call[],
  errors: ConformError[],
): BindingName[] | undefined {
  const operation = raw.when.constructor === Object ? (Object.keys(raw.when)[0] ?? '') : ''
  const op = api.operations[operation]
  if (!op) return undefined
  const offered = offeredBindings(api, operation)
  const usesNil =
    calls.some((c) => Object.values(c.params).some(isNil)) ||
    (raw.given?.caller && typeof raw.given.caller === 'object' && 'token' in raw.given.caller && isNil(raw.given.caller.token))
  ;(raw.bindings ?? []).forEach((b, i) => {
    if (!offered.includes(b))
      errors.push(source.error('UNKNOWN_BINDING', `${op.name} is not offered over ${b} (offered: ${offered.join(', ')})`, ['bindings', i]))
    else if (!isImplemented(b)) errors.push(source.error('UNKNOWN_BINDING', `binding ${b} is not implemented`, ['bindings', i]))
    const applies = raw.covers.some((id) => catalogue.get(id)?.bindings.includes(b))
    if (!applies) errors.push(source.error('BINDING_NOT_APPLICABLE', `none of ${raw.covers.join(', ')} applies to ${b}`, ['bindings', i]))
    if (usesNil && isImplemented(b) && !bindingFor(b).canSendNil)
      errors.push(source.error('NIL_NOT_SENDABLE', `!nil cannot be sent over ${b} (it has no nil)`, ['bindings', i]))
  })
  if (raw.via === 'generated-client' && (!raw.bindings || raw.bindings.some((b) => b !== 'soap11' && b !== 'soap12'))) {
    errors.push(
      source.error('VIA_NEEDS_SOAP', 'via: generated-client builds a node-soap client from the WSDL: list bindings, SOAP only ([soap11, soap12])', ['via']),
    )
  }
  if (!raw.bindings && usesNil && offered.some((b) => isImplemented(b) && !bindingFor(b).canSendNil)) {
    errors.push(
      source.error(
        'NIL_NOT_SENDABLE',
        `a spec that sends !nil must list bindings that have nil (${offered.filter((b) => isImplemented(b) && bindingFor(b).canSendNil).join(', ')})`,
        ['when'],
      ),
    )
  }
  return raw.bindings
}
