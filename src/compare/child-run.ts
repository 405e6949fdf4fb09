import { type ChildProcess, spawn } from 'node:child_process'
import { createWriteStream, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { PROJECT_ROOT } from '../paths.ts'

export interface ChildRun {
  label: string
  args: string[]
  out: string
}

/**
 * Runs `conform run` in a child process (each run its own reference, its own vitest, nothing shared), its
 * console kept in OUT/console.log; only its verdict line is echoed. Resolves with the child's exit code.
 */
/**
 * SIGINT/SIGTERM to compare, from the moment it starts: each is passed on to the run under way (else it would be left
 * running), which restores its users and ends; then compare ends as interrupted, starting no other run.
 */
export class ForwardedSignals {
  received: NodeJS.Signals | undefined
  private child: ChildProcess | undefined
  private readonly onSignal = (sig: NodeJS.Signals) => {
    this.received ??= sig
    const c = this.child
    if (c && c.exitCode === null && c.signalCode === null) c.kill(sig)
  }
  constructor() {
    process.on('SIGINT', this.onSignal)
    process.on('SIGTERM', this.onSignal)
  }
  forwardTo(child: ChildProcess | undefined): void {
    this.child = child
  }
  off(): void {
    process.off('SIGINT', this.onSignal)
    process.off('SIGTERM', this.onSignal)
  }
}

export function runChild(run: ChildRun, onLine: (line: string) => void, signals: ForwardedSignals): Promise<number> {
  mkdirSync(run.out, { recursive: true })
  const log = createWriteStream(join(run.out, 'console.log'))
  const child = spawn(process.execPath, [resolve(PROJECT_ROOT, 'bin/conform.mjs'), 'run', ...run.args, '--out', run.out], {
    cwd: process.cwd(),
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // A process group of its own: a terminal's Ctrl-C reaches compare alone, which passes it on once (below); twice
    // would tell the run to stop at once, without restoring its users.
    detached: true,
  })
  let pending = ''
  child.stdout.on('data', (chunk: Buffer) => {
    log.write(chunk)
    pending += chunk.toString('utf8')
    const lines = pending.split('\n')
    pending = lines.pop() ?? ''
    for (const l of lines) if (/^\d+ checks: /.test(l) || /^verdict: /.test(l)) onLine(l)
  })
  const errors: Buffer[] = []
  child.stderr.on('data', (chunk: Buffer) => {
    log.write(chunk)
    errors.push(chunk)
  })
  signals.forwardTo(child)
  return new Promise((done) => {
    child.on('close', (code, signal) => {
      signals.forwardTo(undefined)
      log.end()
      if (signals.received) return done(signals.received === 'SIGTERM' ? 143 : 130)
      if (code !== 0 && code !== 1 && code !== 4) onLine(Buffer.concat(errors).toString('utf8').trim())
      done(code ?? (signal === 'SIGINT' ? 130 : 1))
    })
  })
}
