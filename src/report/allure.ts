import * as allure from 'allure-js-commons'
import type { RuntimeMessage } from 'allure-js-commons/sdk'
import { getGlobalTestRuntimeWithAutoconfig } from 'allure-js-commons/sdk/runtime'
import { strongestLevel, type Catalogue } from '../catalogue.ts'
import type { CheckResult, CheckStep, RecordedExchange } from '../engine/result.ts'
import type { Level } from '../spec/model.ts'
import { TOOL } from '../tool.ts'
import { allureFailureMessage } from './failure-message.ts'

export { allureFailureMessage }

export interface AllureContext {
  target: string
  seed: number
  version: string
  catalogue: Catalogue
  /** The operation's documentation page, linked from the test. */
  docs?: string
}

/** The context of a check in a run of a project: the operation's documentation page is its API's. */
export function allureContext(
  check: Pick<CheckResult, 'api' | 'operation'>,
  run: { target: string; seed: number },
  project: { catalogue: Catalogue; apis: ReadonlyMap<string, { operations: Record<string, { docs?: string } | undefined> }> },
): AllureContext {
  const docs = project.apis.get(check.api)?.operations[check.operation]?.docs
  return { target: run.target, seed: run.seed, version: TOOL.version, catalogue: project.catalogue, ...(docs ? { docs } : {}) }
}

const SEVERITY: Record<Level, string> = { MUST: 'critical', SHOULD: 'normal', ADVISORY: 'minor' }
const STEP_STATUS: Record<CheckStep['status'], allure.Status> = { passed: allure.Status.PASSED, failed: allure.Status.FAILED, broken: allure.Status.BROKEN }

/**
 * Describes a check to Allure from inside the vitest test that allure-vitest reports: labels, parameters, links,
 * description, then one step per CheckStep with its exchanges attached. The caller fails the test, not this.
 * (`conform run` does not call it: its reporter hands the same messages to Allure itself, see allure-streaming.ts.)
 */
export async function describeCheckToAllure(check: CheckResult, ctx: AllureContext): Promise<void> {
  const runtime = await getGlobalTestRuntimeWithAutoconfig()
  // Without allure-vitest (a run with conform's reporter only) nobody listens, and allure's no-op runtime would log on every call.
  if (!hasMessages(runtime)) return
  for (const message of allureMessages(check, ctx)) await runtime.sendMessage(message)
}

/**
 * The runtime messages that describe a check, as allure-js-commons' facade would send them: labels (epic API, feature
 * operation, a story per behaviour, severity, tags), parameters, the documentation link, the description, then one
 * step per CheckStep, with the check's own timing, status and message, and its exchanges attached (a passed check's
 * all in one attachment).
 */
export function allureMessages(check: CheckResult, ctx: AllureContext): RuntimeMessage[] {
  const labels = (...list: Array<{ name: string; value: string }>): RuntimeMessage => ({ type: 'metadata', data: { labels: list } })
  const parameter = (name: string, value: string, options: { excluded?: boolean } = {}): RuntimeMessage => ({
    type: 'metadata',
    data: { parameters: [{ name, value, ...options }] },
  })
  return [
    labels({ name: 'epic', value: check.api }),
    labels({ name: 'feature', value: check.operation }),
    ...check.covers.map((id) => labels({ name: 'story', value: storyOf(id, ctx.catalogue) })),
    labels({ name: 'severity', value: SEVERITY[strongestLevel(check.covers, ctx.catalogue)] }),
    labels(...[check.api, check.binding, check.level, ...check.covers].map((value) => ({ name: 'tag', value }))),
    parameter('binding', check.binding),
    parameter('target', ctx.target),
    // Another seed is the same test: keep it visible without splitting the history.
    parameter('seed', String(ctx.seed), { excluded: true }),
    // Skipped tests reach Allure without a message; the reason goes where it is seen.
    ...(check.status === 'skipped' && check.message ? [parameter('skipped because', check.message)] : []),
    ...(check.retries ? [parameter('retries', `${check.retries} (429/503 with Retry-After)`)] : []),
    ...(ctx.docs
      ? [{ type: 'metadata', data: { links: [{ url: ctx.docs, type: undefined, name: `${check.operation} documentation` }] } } as RuntimeMessage]
      : []),
    { type: 'metadata', data: { description: descriptionOf(check, ctx) } },
    ...check.steps.flatMap((step) => stepMessages(check, step, check.status !== 'passed')),
    ...(check.status === 'passed' && check.exchanges.length ? [exchangesAttachment(check)] : []),
  ]
}

/**
 * A passed check's exchanges, all in one attachment (in the order sent, each named by its step): a conformant run
 * writes a file a check instead of two an exchange (a few hundred instead of thousands, most of the time a run spent
 * writing its reports). A check with anything to look at (failed, warned) has each exchange attached in its step.
 */
function exchangesAttachment(check: CheckResult): RuntimeMessage {
  const stepOf = new Map<number, string>()
  for (const step of check.steps) for (const i of step.exchanges) stepOf.set(i, stepName(step))
  const text = check.exchanges
    .map((x, i) => {
      const request = `${x.request.method} ${x.request.url}${x.request.body !== undefined ? `\n\n${x.request.body}` : ''}`
      const answer = x.response ? `HTTP ${x.response.status}\n\n${x.response.body}` : `error: ${x.error ?? 'no answer'}`
      const retries = (x.retries ?? []).map((r, k) => `retry ${k + 1}: HTTP ${r.status}, Retry-After ${r.retryAfter}, waited ${r.waitMs} ms\n`).join('')
      return `── ${i + 1}. ${stepOf.get(i) ?? x.operation}: ${x.operation}${x.purpose ? ` (${x.purpose})` : ''}\n${request}\n\n${retries}→ ${answer}`
    })
    .join('\n\n')
  return {
    type: 'attachment_content',
    data: {
      name: `exchanges (${check.exchanges.length})`,
      content: text,
      encoding: 'utf8',
      contentType: 'text/plain',
      timestamp: Date.parse(check.exchanges[0]!.startedAt),
    },
  }
}

function stepName(step: CheckStep): string {
  return step.detail ? `${step.name} — ${step.detail}` : step.name
}

function storyOf(id: string, catalogue: Catalogue): string {
  const title = catalogue.get(id)?.title
  return title ? `${id} ${title}` : id
}

function descriptionOf(check: CheckResult, ctx: AllureContext): string {
  return [
    `**${check.title}**`,
    `Spec: \`${check.spec}:${check.line}\``,
    ...(check.notes ? [check.notes] : []),
    ...(check.status === 'skipped' && check.message ? [`**Skipped:** ${check.message}`] : []),
    `Seed ${ctx.seed} · conform ${ctx.version}`,
  ].join('\n\n')
}

interface Attachment {
  name: string
  content: string
  contentType: string
}

/** What a step shows of one exchange: the request (its body, or its request line when it has none), then the answer or the error. */
function exchangeAttachments(x: RecordedExchange): Attachment[] {
  const request: Attachment =
    x.request.body !== undefined
      ? { name: `${x.operation} request`, content: x.request.body, contentType: viewable(headerOf(x.request.headers, 'content-type')) }
      : { name: `${x.operation} request`, content: `${x.request.method} ${x.request.url}`, contentType: 'text/plain' }
  const answer: Attachment[] = [
    ...(x.retries?.length
      ? [
          {
            name: `${x.operation} retries`,
            content: x.retries.map((r, i) => `retry ${i + 1}: HTTP ${r.status}, Retry-After ${r.retryAfter}, waited ${r.waitMs} ms`).join('\n'),
            contentType: 'text/plain',
          },
        ]
      : []),
    ...(x.response ? [{ name: `${x.operation} response`, content: x.response.body, contentType: viewable(headerOf(x.response.headers, 'content-type')) }] : []),
    ...(x.error !== undefined ? [{ name: `${x.operation} error`, content: x.error, contentType: 'text/plain' }] : []),
  ]
  return [request, ...answer]
}

/** The media type without parameters; `+xml` / `+json` types as their base so the report can show them. */
function viewable(contentType: string | undefined): string {
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase()
  if (!media) return 'text/plain'
  if (media.endsWith('+xml')) return 'application/xml'
  if (media.endsWith('+json')) return 'application/json'
  return media
}

function headerOf(headers: Record<string, string>, name: string): string | undefined {
  return Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1]
}

interface MessageRuntime {
  sendMessage(message: RuntimeMessage): Promise<void>
}

// allure-vitest's runtime takes raw messages; those carry start/stop times, which allure.step() cannot.
function hasMessages(runtime: unknown): runtime is MessageRuntime {
  return typeof (runtime as Partial<MessageRuntime> | undefined)?.sendMessage === 'function'
}

/** A step with the check's own timing, status and message; its exchanges attached when `attach`. */
function stepMessages(check: CheckResult, step: CheckStep, attach: boolean): RuntimeMessage[] {
  const start = Date.parse(step.startedAt)
  const attachments = (attach ? step.exchanges : []).flatMap((i) => {
    const x = check.exchanges[i]
    return x
      ? exchangeAttachments(x).map(
          (a): RuntimeMessage => ({
            type: 'attachment_content',
            // As text: allure writes Buffer.from(content, encoding), the same bytes as from base64, without encoding and decoding each body.
            data: { name: a.name, content: a.content, encoding: 'utf8', contentType: a.contentType, wrapInStep: true, timestamp: Date.parse(x.startedAt) },
          }),
        )
      : []
  })
  return [
    { type: 'step_start', data: { name: stepName(step), start } },
    ...attachments,
    {
      type: 'step_stop',
      data: { status: STEP_STATUS[step.status], stop: start + step.durationMs, ...(step.message ? { statusDetails: { message: step.message } } : {}) },
    },
  ]
}
