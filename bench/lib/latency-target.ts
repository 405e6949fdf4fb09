/**
 * A staging-like target for the latency mode: `conform serve` (a process of its own, as a user starts it) with fixture
 * accounts seeded through its control endpoint, `atLeast` per role, reached through a loopback proxy that adds
 * `delayMs` each way; a config naming it `local` (`concurrency` as asked) and its env file, as `serve --write-config`
 * writes them. The control endpoint is reached directly (it is not the target's traffic).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { embeddedApis } from '../../reference/index.ts'
import { DEFAULT_TARGET_LIMITS } from '../../src/config.ts'
import type { Project } from '../../src/project.ts'
import { seedAccounts, writeTargetConfig } from '../../src/run/seed-accounts.ts'
import { startDelayProxy, type DelayProxy } from './delay-proxy.ts'

export interface LatencyTarget {
  config: string
  envFile: string
  target: 'local'
  /** The proxy's origin: every API's base URL starts with it. */
  url: string
  /** The APIs served (those the project and the reference share). */
  apis: string[]
  accounts: number
  proxy: DelayProxy
  close(): Promise<void>
}

async function serve(root: string, conform: string): Promise<{ child: ChildProcess; url: string; key: string }> {
  const child = spawn(process.execPath, [conform, 'serve', '--port', '0', '--print-control-key'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] })
  let url = ''
  const key = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! })
    lines.on('line', (line) => {
      url ||= /listening on (http:\/\/\S+)/.exec(line)?.[1] ?? ''
      const k = /control key: (\S+)/.exec(line)?.[1]
      if (k) resolve(k)
    })
    child.once('exit', (code) => reject(new Error(`conform serve exited (${code}) before it printed its control key`)))
  })
  return { child, url, key }
}

export async function startLatencyTarget(opts: {
  root: string
  conform: string
  project: Project
  dir: string
  delayMs: number
  concurrency: number
  atLeast: number
  seed: number
}): Promise<LatencyTarget> {
  const { child, url, key } = await serve(opts.root, opts.conform)
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM')
      await new Promise((r) => child.once('exit', r))
    }
  }
  try {
    const served = new Set(embeddedApis().map((a) => a.api))
    const apis = [...opts.project.apis.keys()].filter((a) => served.has(a))
    const control = { url, key }
    const accounts = await seedAccounts(opts.project, apis, control, opts.seed, { atLeast: opts.atLeast })
    const origin = new URL(url)
    const proxy = await startDelayProxy({ host: origin.hostname, port: Number(origin.port) }, opts.delayMs)
    const bases = Object.fromEntries(embeddedApis().map((a) => [a.api, `${proxy.url}${a.base ?? ''}`]))
    const written = writeTargetConfig(join(opts.dir, 'conform.config.yaml'), 'local', bases, accounts, control, {
      ...DEFAULT_TARGET_LIMITS,
      concurrency: opts.concurrency,
    })
    return {
      ...written,
      target: 'local',
      url: proxy.url,
      apis,
      accounts: accounts.length,
      proxy,
      close: async () => {
        await proxy.close()
        await stop()
      },
    }
  } catch (e) {
    await stop()
    throw e
  }
}
