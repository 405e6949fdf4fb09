import { fork } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createVitest } from 'vitest/node'
import type { Reporter } from 'vitest/node'
import { StreamingAllureReporter } from '../../reporters/allure-streaming.ts'
import { allureMessages } from '../../src/report/allure.ts'
import { allureContext } from './fixtures/allure-sample.ts'

const FIXTURES = resolve(import.meta.dirname, 'fixtures')

async function runFixture(reporter: Reporter | [string, Record<string, unknown>], byReporter = false): Promise<void> {
  const exitCode = process.exitCode
  process.env.ALLURE_FIXTURE_BY_REPORTER = byReporter ? '1' : '0'
  const vitest = await createVitest({ root: FIXTURES, config: 'allure.vitest.config.ts', watch: false, reporters: [reporter] })
  try {
    await vitest.start()
  } finally {
    await vitest.close()
    delete process.env.ALLURE_FIXTURE_BY_REPORTER
    // The fixture's failing test is meant to fail; that must not fail this run.
    process.exitCode = exitCode
  }
}

interface Node { uuid?: string; start?: number; stop?: number; historyId?: string; labels?: Array<{ name: string; value: string }>; steps?: Node[]; attachments?: Array<{ name: string; source: string; type: string }>; [k: string]: unknown }

/** A result with what differs between two runs of the same tests taken out: ids, times, host and thread, file names (attachments by content). */
function normalise(node: Node, dir: string): unknown {
  const { uuid: _u, start: _s, stop: _t, ...rest } = node
  return {
    ...rest,
    // The stack of the failure: the test reached expect.fail by another path.
    ...(rest.statusDetails ? { statusDetails: { ...(rest.statusDetails as object), trace: undefined } } : {}),
    ...(node.labels ? { labels: node.labels.filter((l) => l.name !== 'host' && l.name !== 'thread') } : {}),
    ...(node.steps ? { steps: node.steps.map((s) => normalise(s, dir)) } : {}),
    ...(node.attachments ? { attachments: node.attachments.map((a) => ({ name: a.name, type: a.type, content: readFileSync(join(dir, a.source), 'utf8') })) } : {}),
  }
}

function results(dir: string): unknown[] {
  return readdirSync(dir).filter((f) => f.endsWith('-result.json')).map((f) => normalise(JSON.parse(readFileSync(join(dir, f), 'utf8')) as Node, dir))
    .sort((a, b) => String((a as Node).name).localeCompare(String((b as Node).name)))
}

describe('StreamingAllureReporter', () => {
  const stock = mkdtempSync(join(tmpdir(), 'conform-allure-stock-'))
  const streamed = mkdtempSync(join(tmpdir(), 'conform-allure-streamed-'))
  const described = mkdtempSync(join(tmpdir(), 'conform-allure-described-'))

  beforeAll(async () => {
    // A label from the environment (allure's ALLURE_LABEL_*): the writer process, with an environment of its own, must see it.
    process.env.ALLURE_LABEL_layer = 'conformance'
    await runFixture(['allure-vitest/reporter', { resultsDir: stock, environmentInfo: { target: 'reference' } }])
    await runFixture(new StreamingAllureReporter({ resultsDir: streamed, environmentInfo: { target: 'reference' } }))
    await runFixture(new StreamingAllureReporter({ resultsDir: described, environmentInfo: { target: 'reference' }, describe: (check) => allureMessages(check, allureContext) }), true)
    delete process.env.ALLURE_LABEL_layer
  }, 120_000)
  afterAll(() => {
    for (const dir of [stock, streamed, described]) rmSync(dir, { recursive: true, force: true })
  })

  test('writes the same results, steps, attachments and environment as allure-vitest', () => {
    const mine = results(streamed)
    expect(mine).toHaveLength(2)
    expect(mine).toEqual(results(stock))
    for (const r of mine as Node[]) expect(r.labels).toContainEqual({ name: 'layer', value: 'conformance' })
    expect(readFileSync(join(streamed, 'environment.properties'), 'utf8')).toBe(readFileSync(join(stock, 'environment.properties'), 'utf8'))
  })

  test('describing the checks itself (as conform run has it), it writes what allure-vitest writes when tests describe them', () => {
    const mine = results(described)
    expect(mine).toHaveLength(2)
    expect(mine).toEqual(results(stock))
  })

  test('the same files, and no temporary ones left', () => {
    const kinds = (dir: string) => readdirSync(dir).map((f) => f.replace(/^[0-9a-f-]{36}/, 'UUID')).sort()
    expect(kinds(streamed)).toEqual(kinds(stock))
    expect(readdirSync(streamed).filter((f) => f.includes('.tmp'))).toEqual([])
  })
})

describe('the Allure file writer process', () => {
  const WRITER = resolve(import.meta.dirname, '../../reporters/allure-file-writer.ts')

  test('files that reached it before its parent went away are all written, then it exits; Ctrl-C does not stop it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conform-allure-writer-'))
    try {
      const child = fork(WRITER, [dir], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
      // Once it answers, it is listening (and ignores Ctrl-C).
      await new Promise((r) => {
        child.once('message', r)
        child.send({ flush: 0 })
      })
      // Each send's callback: the message has left this process (it is in the pipe, or already read).
      await Promise.all(Array.from({ length: 200 }, (_, i) => new Promise((r) => child.send({ name: `${i}-attachment.txt`, content: i % 2 ? `text ${i}` : Buffer.from(`bytes ${i}`) }, r))))
      child.kill('SIGINT')
      child.disconnect()
      const code = await new Promise((r) => child.once('exit', r))
      expect(code).toBe(0)
      expect(readdirSync(dir)).toHaveLength(200)
      expect(readFileSync(join(dir, '7-attachment.txt'), 'utf8')).toBe('text 7')
      expect(readFileSync(join(dir, '8-attachment.txt'), 'utf8')).toBe('bytes 8')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('a test handed over becomes its result and attachments; one it cannot turn into a result is named at the flush', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conform-allure-writer-'))
    try {
      const child = fork(WRITER, [dir, '{}'], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
      const flushed = (n: number) => new Promise<{ flushed: number; failure?: string }>((r) => {
        child.on('message', (m: { flushed: number; failure?: string }) => { if (m.flushed === n) r(m) })
        child.send({ flush: n })
      })
      const test = {
        type: 'test', id: 't1', name: 'IE-4@soap11', mode: 'run', file: { filepath: resolve(FIXTURES, 'suite.check.ts') },
        suite: { name: 'inforouter', suite: { name: 'suite.check.ts' } },
        meta: {
          vitestWorker: '1',
          allureRuntimeMessages: [
            { type: 'metadata', data: { labels: [{ name: 'epic', value: 'inforouter' }] } },
            { type: 'attachment_content', data: { name: 'answer', content: Buffer.from('<ok/>').toString('base64'), encoding: 'base64', contentType: 'text/xml' } },
          ],
        },
        result: { state: 'pass', startTime: 1_700_000_000_000, duration: 12 },
      }
      child.send({ test })
      expect(await flushed(1)).toEqual({ flushed: 1 })
      const files = readdirSync(dir)
      const result = JSON.parse(readFileSync(join(dir, files.find((f) => f.endsWith('-result.json'))!), 'utf8')) as Node & { status: string; fullName: string }
      expect(result.status).toBe('passed')
      expect(result.labels).toEqual(expect.arrayContaining([{ name: 'epic', value: 'inforouter' }, { name: 'thread', value: 'vitest-worker-1' }, { name: 'parentSuite', value: 'suite.check.ts' }, { name: 'suite', value: 'inforouter' }]))
      expect(readFileSync(join(dir, result.attachments![0]!.source), 'utf8')).toBe('<ok/>')
      child.send({ test: { ...test, id: 't2', file: undefined } })
      expect((await flushed(2)).failure).toMatch(/^Allure results: /)
      child.disconnect()
      expect(await new Promise((r) => child.once('exit', r))).toBe(1)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test("the previous run's files, moved aside, are reused for the new ones (their inodes), each written whole before it appears", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conform-allure-writer-'))
    const aside = mkdtempSync(join(tmpdir(), 'conform-allure-aside-'))
    try {
      for (let i = 0; i < 30; i++) writeFileSync(join(aside, `old-${i}-result.json`), `{"old": ${i}, "padding": "${'x'.repeat(500)}"}`)
      const inodes = new Set(readdirSync(aside).map((f) => statSync(join(aside, f)).ino))
      const child = fork(WRITER, [dir, '{}', aside], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
      for (let i = 0; i < 40; i++) child.send({ name: `${i}-attachment.txt`, content: i % 2 ? `text ${i}` : Buffer.from(`bytes ${i}`) })
      await new Promise((r) => {
        child.once('message', r)
        child.send({ flush: 1 })
      })
      child.disconnect()
      await new Promise((r) => child.once('exit', r))
      const written = readdirSync(dir).sort()
      expect(written).toHaveLength(40)
      expect(readdirSync(aside)).toEqual([])
      // 30 of the 40 are the old files' inodes, renamed; the other 10 are new.
      expect(written.filter((f) => inodes.has(statSync(join(dir, f)).ino))).toHaveLength(30)
      for (let i = 0; i < 40; i++) expect(readFileSync(join(dir, `${i}-attachment.txt`), 'utf8')).toBe(i % 2 ? `text ${i}` : `bytes ${i}`)
    } finally {
      rmSync(dir, { recursive: true, force: true })
      rmSync(aside, { recursive: true, force: true })
    }
  })

  test('a flush answers after every earlier file, and names a file it could not write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conform-allure-writer-'))
    try {
      const child = fork(WRITER, [dir], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
      const flushed = (n: number) => new Promise<{ flushed: number; failure?: string }>((r) => {
        child.on('message', (m: { flushed: number; failure?: string }) => { if (m.flushed === n) r(m) })
        child.send({ flush: n })
      })
      for (let i = 0; i < 50; i++) child.send({ name: `${i}-result.json`, content: '{}' })
      expect(await flushed(1)).toEqual({ flushed: 1 })
      expect(readdirSync(dir)).toHaveLength(50)
      child.send({ name: 'no-such-folder/x-result.json', content: '{}' })
      expect((await flushed(2)).failure).toMatch(/ENOENT/)
      child.disconnect()
      expect(await new Promise((r) => child.once('exit', r))).toBe(1)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
