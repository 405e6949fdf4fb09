import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { PROJECT_ROOT } from '../../src/paths.ts'

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs bin/conform.mjs as a user would (a real process, Node 24). */
export function conform(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return run(process.execPath, [resolve(PROJECT_ROOT, 'bin/conform.mjs'), ...args], { ...process.env, ...env })
}

/** Runs any program from the project root; by default with the project's Node 24 first on PATH (as npm scripts do). */
export function run(
  program: string,
  args: string[],
  env: NodeJS.ProcessEnv = { ...process.env, PATH: `${resolve(PROJECT_ROOT, 'node_modules/.bin')}:${process.env.PATH ?? ''}` },
): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(program, args, { cwd: PROJECT_ROOT, env })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
    })
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
    })
    child.on('error', fail)
    child.on('close', (code) => done({ code, stdout, stderr }))
  })
}
