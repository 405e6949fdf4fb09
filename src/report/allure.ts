import * as allure from 'allure-js-commons'
import type { RuntimeMessage } from 'allure-js-commons/sdk'
import { getGlobalTestRuntimeWithAutoconfig } from 'allure-js-commons/sdk/runtime'
import { strongestLevel, type Catalogue } from '../catalogue.ts'
import type { CheckResult, CheckStep, RecordedExchange } from '../engine/result.ts'
import type { Level } from '../spec/model.ts'

export interface AllureContext {
  target: string
  seed: number
  version: string
  catalogue: Catalogue
  /** The operation's documentation page, linked from the test. */
  docs?: string
}

const SEVERITY: Record<Level, string> = { MUST: 'critical', SHOULD: 'normal', ADVISORY: 'minor' }
const STEP_STATUS: Record<CheckStep['status'], allure.Status> = { passed: allure.Status.PASSED, failed: allure.Status.FAILED, broken: allure.Status.BROKEN }

/**
 * Describes a check to Allure from inside the vitest test that allure-vitest reports: labels, parameters, links,
 * description, then one step per CheckStep with its exchanges attached. The caller fails the test, not this.
 */
export async function describeCheckToAllure(check: CheckResult, ctx: AllureContext): Promise<void> {
  const runtime = await getGlobalTestRuntimeWithAutoconfig()
  // Without allure-vitest (a run with conform's reporter only) nobody listens, and allure's no-op runtime would log on every call.
  if (!hasMessages(runtime)) return
  await allure.epic(check.api)
  await allure.feature(check.operation)
  for (const id of check.covers) await allure.story(storyOf(id, ctx.catalogue))
  await allure.severity(SEVERITY[strongestLevel(check.covers, ctx.catalogue)])
  await allure.tags(check.api, check.binding, check.level, ...check.covers)
  await allure.parameter('binding', check.binding)
  await allure.parameter('target', ctx.target)
  // Another seed is the same test: keep it visible without splitting the history.
  await allure.parameter('seed', String(ctx.seed), { excluded: true })
  if (ctx.docs) await allure.link(ctx.docs, `${check.operation} documentation`)
  await allure.description(descriptionOf(check, ctx))
  for (const step of check.steps) await timedStep(runtime, check, step)
}

/** The check's failure messages, each prefixed `[category]`, the check's own category first (Allure categories match on it). */
export function allureFailureMessage(check: Pick<CheckResult, 'category' | 'message' | 'failures'>): string {
  if (check.failures.length === 0) return check.message ? `[${check.category ?? 'behaviour'}] ${check.message}` : ''
  const lead = check.failures.filter((f) => f.category === check.category)
  const rest = check.failures.filter((f) => f.category !== check.category)
  return [...lead, ...rest].map((f) => `[${f.category}] ${f.message}`).join('\n')
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
  const request: Attachment = x.request.body !== undefined
    ? { name: `${x.operation} request`, content: x.request.body, contentType: viewable(headerOf(x.request.headers, 'content-type')) }
    : { name: `${x.operation} request`, content: `${x.request.method} ${x.request.url}`, contentType: 'text/plain' }
  const answer: Attachment[] = [
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

/** A step with the check's own timing, status and message. */
async function timedStep(runtime: MessageRuntime, check: CheckResult, step: CheckStep): Promise<void> {
  const start = Date.parse(step.startedAt)
  await runtime.sendMessage({ type: 'step_start', data: { name: stepName(step), start } })
  for (const i of step.exchanges) {
    const x = check.exchanges[i]
    if (!x) continue
    for (const a of exchangeAttachments(x)) {
      await runtime.sendMessage({
        type: 'attachment_content',
        // As text: allure writes Buffer.from(content, encoding), the same bytes as from base64, without encoding and decoding each body.
        data: { name: a.name, content: a.content, encoding: 'utf8', contentType: a.contentType, wrapInStep: true, timestamp: Date.parse(x.startedAt) },
      })
    }
  }
  await runtime.sendMessage({
    type: 'step_stop',
    data: { status: STEP_STATUS[step.status], stop: start + step.durationMs, ...(step.message ? { statusDetails: { message: step.message } } : {}) },
  })
}
