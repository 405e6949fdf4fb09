import { spawn } from 'node:child_process'
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
export function runChild(run: ChildRun, onLine: (line: string) => void): Promise<number> {
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
  // SIGINT/SIGTERM to compare are passed on to the run under way (else it would be left running): it restores its users
  // and ends, then compare ends as interrupted. A second signal is passed on too: the run then stops at once.
  let received: NodeJS.Signals | undefined
  const forward = (sig: NodeJS.Signals) => {
    received ??= sig
    if (child.exitCode === null && child.signalCode === null) child.kill(sig)
  }
  process.on('SIGINT', forward)
  process.on('SIGTERM', forward)
  return new Promise((done) => {
    child.on('close', (code, signal) => {
      process.off('SIGINT', forward)
      process.off('SIGTERM', forward)
      log.end()
      if (received) return done(received === 'SIGTERM' ? 143 : 130)
      if (code !== 0 && code !== 1 && code !== 4) onLine(Buffer.concat(errors).toString('utf8').trim())
      done(code ?? (signal === 'SIGINT' ? 130 : 1))
    })
  })
}
