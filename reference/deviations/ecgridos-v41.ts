/**
 * Deviations of the live ECGridOS profile (D1b): each breaks EL behaviours the way a real implementation of the
 * v4.1 WSDL might. Each hands the faithful stage a replaced collaborator or rewrites what it wrote; a deviation that
 * breaks a rule every update relies on ("[Default]", NoChange) declares the behaviours of the checks that rely on it.
 */
import type { Around, AsmxWrap } from '../asmx/pipeline.ts'
import { SoapFaultError } from '../asmx/fault.ts'
import type { OperationHandler } from '../asmx/types.ts'
import { leaf } from '../asmx/xml.ts'
import type { ElContext } from '../ecgridos-v41/context.ts'
import { intParam } from '../ecgridos-v41/guard.ts'
import type { UpdatePolicy } from '../ecgridos-v41/update-policy.ts'
import type { Deviation } from './types.ts'

type Handler = OperationHandler<ElContext>
type ElWrap = AsmxWrap<ElContext>
export type EcgridOsV41Deviation = Deviation<ElWrap>

const on = (operations: readonly string[], around: Around<Handler>): ElWrap => ({ layer: 'operation', operations, around })
const UPDATE = ['UserUpdate']

/** Hands the handler a context with some collaborators replaced. */
const withContext =
  (replace: (ctx: ElContext) => Partial<ElContext>): Around<Handler> =>
  (next) =>
  (ctx, params) =>
    next({ ...ctx, ...replace(ctx) }, params)

const withPolicy = (policy: Partial<UpdatePolicy>): Around<Handler> => withContext((ctx) => ({ policy: { ...ctx.policy, ...policy } }))

/** Runs the handler with these parameters changed first. */
const remap =
  (f: (params: Readonly<Record<string, string | null>>) => Record<string, string | null>): Around<Handler> =>
  (next) =>
  (ctx, params) =>
    next(ctx, { ...params, ...f(params) })

export const ECGRIDOS_V41_DEVIATIONS: readonly EcgridOsV41Deviation[] = [
  {
    name: 'el-answers-false',
    api: 'ecgridos-v41',
    breaks: ['EL-1', 'EL-17'],
    description: 'UserUpdate saves the change but answers false.',
    wraps: [
      on(UPDATE, (next) => (ctx, params) => {
        next(ctx, params)
        return leaf('UserUpdateResult', 'false')
      }),
    ],
  },
  {
    name: 'el-not-persisted',
    api: 'ecgridos-v41',
    breaks: ['EL-1', 'EL-2', 'EL-3', 'EL-17'],
    description: 'UserUpdate answers true but saves nothing.',
    wraps: [
      on(
        UPDATE,
        withContext((ctx) => ({ users: { ...ctx.users, update: (id) => ctx.users.findById(id) }, details: { ...ctx.details, set: () => {} } })),
      ),
    ],
  },
  {
    name: 'el-default-stored',
    api: 'ecgridos-v41',
    breaks: ['EL-3', 'EL-1'],
    description: 'UserUpdate stores "[Default]" as the value (and so refuses it in EMail as no e-mail address).',
    wraps: [on(UPDATE, withPolicy({ keepsString: (value) => value === null }))],
  },
  {
    name: 'el-nochange-clears-carrier',
    api: 'ecgridos-v41',
    breaks: ['EL-4', 'EL-3', 'EL-1'],
    description: 'UserUpdate takes CellCarrier NoChange for Undefined: the carrier is reset.',
    wraps: [
      on(
        UPDATE,
        remap((p): Record<string, string | null> => (p.CellCarrier === 'NoChange' ? { CellCarrier: 'Undefined' } : {})),
      ),
    ],
  },
  {
    name: 'el-authlevel-no-ceiling',
    api: 'ecgridos-v41',
    breaks: ['EL-5'],
    description: "UserUpdate gives any AuthLevel, also one above the session's own.",
    wraps: [on(UPDATE, withPolicy({ mayGrant: () => true }))],
  },
  {
    name: 'el-fault-without-detail',
    api: 'ecgridos-v41',
    breaks: ['EL-9'],
    description: "UserUpdate's ECGridOS faults come with an empty detail.",
    wraps: [
      on(UPDATE, (next) => (ctx, params) => {
        try {
          return next(ctx, params)
        } catch (error) {
          if (error instanceof SoapFaultError) throw new SoapFaultError({ ...error.fault, detail: [] })
          throw error
        }
      }),
    ],
  },
  {
    name: 'el-missing-param-kept',
    api: 'ecgridos-v41',
    breaks: ['EL-10'],
    description:
      'Over HTTP GET/POST a UserUpdate parameter left out is read as its keep value ("[Default]", NoChange) instead of the framework\'s Missing parameter.',
    wraps: [
      {
        layer: 'form-params',
        operations: UPDATE,
        around: () => (op, values) => ({
          ok: true,
          params: Object.fromEntries(
            op.params.map((name) => [
              name,
              values.get(name) ?? (name === 'CellCarrier' || name === 'AuthLevel' ? 'NoChange' : name === 'UserID' ? '0' : '[Default]'),
            ]),
          ),
        }),
      },
    ],
  },
  {
    name: 'el-api-key-refused',
    api: 'ecgridos-v41',
    breaks: ['EL-8'],
    description: "UserUpdate takes only Login sessions in SessionID, not the user's API key.",
    wraps: [
      on(
        UPDATE,
        withContext((ctx) => ({ users: { ...ctx.users, findByApiKey: () => undefined } })),
      ),
    ],
  },
  {
    name: 'el-logout-keeps-session',
    api: 'ecgridos-v41',
    breaks: ['EL-7'],
    description: 'Logout answers but the session keeps working.',
    wraps: [
      on(
        ['Logout'],
        withContext((ctx) => ({ sessions: { ...ctx.sessions, end: () => {} } })),
      ),
    ],
  },
  {
    name: 'el-anyone-updates-anyone',
    api: 'ecgridos-v41',
    breaks: ['EL-13'],
    description: 'UserUpdate lets any session update any user.',
    wraps: [
      on(
        UPDATE,
        withContext(() => ({ access: { mayActOn: () => true } })),
      ),
    ],
  },
  {
    name: 'el-unknown-user-true',
    api: 'ecgridos-v41',
    breaks: ['EL-12'],
    description: 'UserUpdate answers true for a UserID that names no user.',
    wraps: [
      on(UPDATE, (next) => (ctx, params) => (ctx.users.findById(intParam(params.UserID)) === undefined ? leaf('UserUpdateResult', 'true') : next(ctx, params))),
    ],
  },
  {
    name: 'el-http-text-plain',
    api: 'ecgridos-v41',
    breaks: ['EL-15'],
    description: 'HTTP GET/POST answers are labelled text/plain instead of text/xml.',
    wraps: [{ layer: 'http-xml-answer', around: (next) => (element) => ({ ...next(element), contentType: 'text/plain; charset=utf-8' }) }],
  },
  {
    name: 'el-wsdl-seed-namespace',
    api: 'ecgridos-v41',
    breaks: ['EL-16'],
    description: "The WSDL declares the documentation pages' namespace http://www.ecgridos.net/ instead of https://os.ecgrid.io/.",
    wraps: [{ layer: 'wsdl', around: (next) => (spec, origin) => next({ ...spec, namespace: 'http://www.ecgridos.net/' }, origin) }],
  },
  {
    name: 'el-locked-out-dotnet-text',
    api: 'ecgridos-v41',
    breaks: ['EL-14'],
    description: 'UserIDInfo\'s LockedOut is written as .NET prints a bool ("False"), which is no xs:boolean.',
    wraps: [
      on(
        ['UserInfo'],
        withContext((ctx) => ({ format: { ...ctx.format, boolean: (value) => (value ? 'True' : 'False') } })),
      ),
    ],
  },
]
