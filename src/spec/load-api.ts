import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { SCHEMAS_DIR } from '../paths.ts'
import type { ConformError } from '../errors.ts'
import { compileTemplates, fieldsReferenced, parseTemplate, Template } from '../expr.ts'
import type { SourceFile } from '../yaml/source.ts'
import { compileCall, readCall } from './calls.ts'
import { coveredBy, flattenParams, isGiven, paramGroups, type ParamTree } from './params.ts'
import type { AnswerUser, ApiDescription, Call, OperationDescription } from './model.ts'
import { checkAgainstSchema } from './schema-check.ts'
import { AnswerSchemas } from './answer-schemas.ts'

const schemaChecker = new AnswerSchemas()
import { checkTemplates, fakeRule, type RefRule } from './templates.ts'

interface RawApi extends Omit<ApiDescription, 'operations' | 'auth' | 'readBack' | 'restore' | 'file' | 'user' | 'wireBehaviours' | 'restorable'> {
  user: {
    key: string
    secrets?: string[]
    provision: Record<string, string>
    provisionGroups?: boolean
    attributes?: string[]
    fields: Record<string, string>
    updateable?: string[]
    role?: string
    placements?: Record<string, { same?: string[]; differ: string[] }>
  }
  operations: Record<
    string,
    Omit<OperationDescription, 'name' | 'writes' | 'optional' | 'types' | 'params' | 'selects' | 'sets' | 'answer'> & {
      params: ParamTree
      writes?: boolean
      optional?: string[]
      types?: Record<string, 'string' | 'integer'>
      selects?: string[]
      sets?: Record<string, string>
      answer: Omit<OperationDescription['answer'], 'user'> & { user?: RawAnswerUser }
    }
  >
  auth: { login?: object; expect?: Record<string, string>; token?: string; credential?: string | Record<string, string>; logout?: object }
  wireBehaviours?: string[]
  readBack: { as: string; call: object; expect: Record<string, string> }
  restore: { as: string; call: object; expect: Record<string, string> }
}

type RawAnswerUser = Partial<Omit<AnswerUser, 'key' | 'behaviours'>> & Pick<AnswerUser, 'key' | 'behaviours'>

/**
 * `answer.user` of an operation: its key is a user field, and every `user.fields` path lies under its `readBackPath`
 * (else some field would have no place in the answer); only a writing operation with `selects` can name its user.
 */
function answerUser(source: SourceFile, raw: RawApi, name: string, u: RawAnswerUser, errors: ConformError[]): AnswerUser {
  const at = ['operations', name, 'answer', 'user']
  const readBackPath = u.readBackPath ?? ''
  if (!raw.user.fields[u.key])
    errors.push(
      source.error('UNKNOWN_FIELD', `answer.user.key: users have no field "${u.key}" (expected one of: ${Object.keys(raw.user.fields).join(', ')})`, [
        ...at,
        'key',
      ]),
    )
  const outside = Object.entries(raw.user.fields)
    .filter(([, p]) => readBackPath !== '' && !p.startsWith(`${readBackPath}.`))
    .map(([f]) => f)
  if (outside.length)
    errors.push(
      source.error('UNKNOWN_FIELD', `answer.user.readBackPath: the user.fields of ${outside.join(', ')} do not lie under "${readBackPath}"`, [
        ...at,
        'readBackPath',
      ]),
    )
  const op = raw.operations[name]!
  if (!op.writes || !op.selects?.length)
    errors.push(
      source.error('NOT_A_WRITE', `answer.user: ${name} must be a writing operation with selects (they name the user its answer is about)`, at, { key: true }),
    )
  return { path: u.path ?? '', readBackPath, key: u.key, behaviours: u.behaviours }
}

/** Reads specs/<api>/api.yaml: operations, bindings, answers, auth and read-back, as data. */
export function loadApi(source: SourceFile): { api?: ApiDescription; errors: ConformError[] } {
  const errors = checkAgainstSchema(source, 'api.schema.json')
  if (errors.length) return { errors }
  const raw = source.data as RawApi
  const operations: Record<string, OperationDescription> = {}
  for (const [name, rawOp] of Object.entries(raw.operations)) {
    const op = { ...rawOp, params: flattenParams(rawOp.params) }
    const { user: rawUser, ...answerRest } = op.answer
    const answer = { ...answerRest, ...(rawUser ? { user: answerUser(source, raw, name, rawUser, errors) } : {}) }
    const at = (path: Array<string | number>) => {
      const l = source.locate(['operations', name, 'params', ...path])
      return `${l.file}:${l.line}:${l.column}`
    }
    const declaredAt: Record<string, string> = { '': at([]) }
    rawOp.params.forEach((p, i) => {
      if (typeof p === 'string') declaredAt[p] = at([i])
    })
    operations[name] = {
      name,
      ...op,
      declaredAt,
      answer,
      writes: op.writes ?? false,
      optional: op.optional ?? [],
      types: op.types ?? {},
      selects: op.selects ?? [],
      sets: op.sets ?? {},
    }
    const duplicate = op.params.find((p, i) => op.params.indexOf(p) !== i)
    if (duplicate) errors.push(source.error('DUPLICATE_PARAM', `${name} declares "${duplicate}" twice`, ['operations', name, 'params']))
    const groups = paramGroups(op.params)
    for (const key of ['optional', 'types'] as const) {
      for (const p of key === 'optional' ? (op.optional ?? []) : Object.keys(op.types ?? {})) {
        const known = op.params.includes(p) || (key === 'optional' && groups.includes(p))
        if (!known) errors.push(source.error('UNKNOWN_PARAM', `${key}: "${p}" is not among the params of ${name}`, ['operations', name, key]))
      }
    }
    const httpParams = [...(op.http?.path.match(/\{([^}]+)\}/g) ?? []).map((m) => m.slice(1, -1)), ...Object.values(op.http?.headers ?? {})]
    for (const p of httpParams) {
      if (!op.params.includes(p)) errors.push(source.error('UNKNOWN_PARAM', `http: "${p}" is not among the params of ${name}`, ['operations', name, 'http']))
    }
    if (op.token && !op.params.includes(op.token)) {
      errors.push(source.error('UNKNOWN_PARAM', `token parameter "${op.token}" is not among the params of ${name}`, ['operations', name, 'token']))
    }
    if (!existsSync(resolve(SCHEMAS_DIR, op.answer.schema))) {
      errors.push(source.error('UNKNOWN_SCHEMA', `answer schema "${op.answer.schema}" does not exist under schemas/`, ['operations', name, 'answer', 'schema']))
    } else {
      const problem = schemaChecker.problem(op.answer.schema)
      if (problem)
        errors.push(source.error('BAD_SCHEMA', `answer schema "${op.answer.schema}" cannot be used: ${problem}`, ['operations', name, 'answer', 'schema']))
    }
    for (const b of op.bindings ?? []) {
      if (!raw.bindings[b])
        errors.push(source.error('UNKNOWN_BINDING', `${name} names binding ${b}, which the API does not declare`, ['operations', name, 'bindings']))
    }
  }
  const credentialParams = typeof raw.auth.credential === 'object' ? Object.keys(raw.auth.credential) : []
  for (const p of credentialParams) {
    if (!Object.values(operations).some((op) => op.params.includes(p))) {
      errors.push(source.error('UNKNOWN_PARAM', `auth.credential: no operation has a parameter "${p}"`, ['auth', 'credential', p], { key: true }))
    }
  }
  const checkCall = (call: Call, rule: RefRule) => {
    const op = operations[call.operation]
    if (!op) {
      errors.push(
        source.error('UNKNOWN_OPERATION', `unknown operation "${call.operation}" (expected one of: ${Object.keys(operations).join(', ')})`, call.at, {
          key: true,
        }),
      )
      return
    }
    const names = [...op.params, ...paramGroups(op.params)]
    for (const p of Object.keys(call.params)) {
      if (!names.includes(p))
        errors.push(
          source.error('UNKNOWN_PARAM', `${call.operation} has no parameter "${p}" (expected one of: ${op.params.join(', ')})`, [...call.at, p], { key: true }),
        )
    }
    const missing = op.params.filter(
      (p) => p !== op.token && !credentialParams.includes(p) && !coveredBy(p, op.optional) && !isGiven(p, (n) => Object.hasOwn(call.params, n)),
    )
    if (missing.length) errors.push(source.error('MISSING_PARAM', `${call.operation} needs ${missing.join(', ')}`, call.at, { key: true }))
    errors.push(...checkTemplates(source, call.at, call.params, rule))
  }
  const userFields = new Set([...Object.keys(raw.user.fields), ...Object.keys(raw.user.provision), ...(raw.user.attributes ?? []), raw.user.key])
  const scopeRule =
    (roots: string[]): RefRule =>
    (path) => {
      const root = path[0] ?? ''
      if (root === 'fake') return fakeRule(path)
      if (!roots.includes(root)) return `unknown name "${root}" (expected one of: ${[...roots, 'fake'].join(', ')})`
      if ((root === 'user' || root === 'before') && !userFields.has(path[1] ?? '')) return `users have no field "${path[1] ?? ''}"`
      return undefined
    }
  const login = raw.auth.login ? readCall(raw.auth.login, ['auth', 'login']) : undefined
  const logout = raw.auth.logout ? readCall(raw.auth.logout, ['auth', 'logout']) : undefined
  const readBack = { ...raw.readBack, call: readCall(raw.readBack.call, ['readBack', 'call']) }
  const restore = { ...raw.restore, call: readCall(raw.restore.call, ['restore', 'call']) }
  if (login) checkCall(login, scopeRule(['user']))
  if (raw.auth.credential) errors.push(...checkTemplates(source, ['auth', 'credential'], raw.auth.credential, scopeRule(['user'])))
  for (const [i, f] of (raw.user.updateable ?? []).entries()) {
    if (!raw.user.fields[f])
      errors.push(
        source.error('UNKNOWN_FIELD', `user.updateable: users have no field "${f}" (expected one of: ${Object.keys(raw.user.fields).join(', ')})`, [
          'user',
          'updateable',
          i,
        ]),
      )
  }
  const fieldAt = (f: string, at: Array<string | number>) => {
    if (!raw.user.fields[f])
      errors.push(source.error('UNKNOWN_FIELD', `users have no field "${f}" (expected one of: ${Object.keys(raw.user.fields).join(', ')})`, at))
  }
  if (raw.user.role) fieldAt(raw.user.role, ['user', 'role'])
  for (const [name, p] of Object.entries(raw.user.placements ?? {})) {
    for (const k of ['same', 'differ'] as const) (p[k] ?? []).forEach((f, i) => fieldAt(f, ['user', 'placements', name, k, i]))
  }
  if (logout) checkCall(logout, scopeRule(['user', 'token']))
  checkCall(readBack.call, scopeRule(['user']))
  checkCall(restore.call, scopeRule(['user', 'before']))
  for (const [key, pc] of [
    ['readBack', readBack],
    ['restore', restore],
  ] as const) {
    if (!raw.roles.includes(pc.as))
      errors.push(source.error('UNKNOWN_ROLE', `${key}.as: unknown role "${pc.as}" (expected one of: ${raw.roles.join(', ')})`, [key, 'as']))
  }
  errors.push(...checkTemplates(source, ['user', 'provision'], raw.user.provision, scopeRule([])))
  errors.push(...checkWriteMaps(source, raw, operations))
  if (errors.length) return { errors }
  const restoreCall = compileCall(restore.call)
  return {
    errors,
    api: {
      ...raw,
      namespace: raw.namespace ?? '',
      // Every template parsed once, here: the engine evaluates these, it never parses.
      user: {
        ...raw.user,
        provision: compileTemplates(raw.user.provision),
        secrets: raw.user.secrets ?? [],
        provisionGroups: raw.user.provisionGroups ?? false,
        attributes: raw.user.attributes ?? [],
      },
      operations,
      auth: {
        ...(raw.auth.credential !== undefined ? { credential: compileCredential(raw.auth.credential) } : {}),
        ...(raw.auth.expect ? { expect: raw.auth.expect } : {}),
        ...(raw.auth.token ? { token: raw.auth.token } : {}),
        ...(login ? { login: compileCall(login) } : {}),
        ...(logout ? { logout: compileCall(logout) } : {}),
      },
      wireBehaviours: raw.wireBehaviours ?? [],
      readBack: { ...readBack, call: compileCall(readBack.call) },
      restore: { ...restore, call: restoreCall },
      restorable: restorableFields(raw.user.fields, restoreCall),
      file: source.file,
    },
  }
}

/** A credential is always a template (or a map of them), even one without a reference: one type for the engine. */
function compileCredential(credential: string | Record<string, string>): Template | Record<string, Template> {
  return typeof credential === 'string' ? parseTemplate(credential) : Object.fromEntries(Object.entries(credential).map(([k, v]) => [k, parseTemplate(v)]))
}

const BEFORE_ROOT: ReadonlySet<string> = new Set(['before'])

/** The fields the restore call writes back (`${before.F}`) that the read-back also shows. */
function restorableFields(fields: Record<string, string>, restore: Call): string[] {
  const written = new Set<string>()
  for (const v of Object.values(restore.params)) if (v instanceof Template) fieldsReferenced(v, BEFORE_ROOT, written)
  return Object.keys(fields).filter((f) => written.has(f))
}

/** `selects` and `sets` of writing operations name params of the operation, and `sets` a user field or secret. */
function checkWriteMaps(source: SourceFile, raw: RawApi, operations: Record<string, OperationDescription>): ConformError[] {
  const errors: ConformError[] = []
  const fields = new Set([...Object.keys(raw.user.fields), ...(raw.user.secrets ?? [])])
  for (const [name, op] of Object.entries(operations)) {
    const at = ['operations', name]
    if (!op.writes && (op.selects.length || Object.keys(op.sets).length)) {
      errors.push(
        source.error(
          'NOT_A_WRITE',
          `${name}: selects and sets describe writing operations (add writes: true, or remove them)`,
          [...at, op.selects.length ? 'selects' : 'sets'],
          { key: true },
        ),
      )
    }
    op.selects.forEach((p, i) => {
      if (!op.params.includes(p)) errors.push(source.error('UNKNOWN_PARAM', `selects: "${p}" is not among the params of ${name}`, [...at, 'selects', i]))
    })
    for (const [p, field] of Object.entries(op.sets)) {
      if (!op.params.includes(p))
        errors.push(source.error('UNKNOWN_PARAM', `sets: "${p}" is not among the params of ${name}`, [...at, 'sets', p], { key: true }))
      else if (op.selects.includes(p))
        errors.push(
          source.error('DUPLICATE_PARAM', `sets: "${p}" is also in selects (a param names the user or sets a field, not both)`, [...at, 'sets', p], {
            key: true,
          }),
        )
      if (!fields.has(field))
        errors.push(
          source.error('UNKNOWN_FIELD', `sets: users have no field "${field}" (expected one of user.fields or user.secrets: ${[...fields].join(', ')})`, [
            ...at,
            'sets',
            p,
          ]),
        )
    }
  }
  return errors
}
