import { ConformError, SpecErrors } from '../errors.ts'
import { MAIN_HELP } from './help.ts'
import { EXIT } from '../report/verdict.ts'
import { surviveBrokenPipes } from '../run/broken-pipe.ts'

const COMMANDS: Record<string, () => Promise<{ default: (args: string[]) => Promise<number> }>> = {
  run: () => import('./run.ts'),
  compare: () => import('./compare.ts'),
  check: () => import('./check.ts'),
  init: () => import('./init.ts'),
  serve: () => import('./serve.ts'),
  deviations: () => import('./deviations.ts'),
  variations: () => import('./variations.ts'),
  'self-check': () => import('./self-check.ts'),
  restore: () => import('./restore.ts'),
  merge: () => import('./merge.ts'),
}

/** Entry point: returns the exit code; prints errors without stack traces. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(MAIN_HELP)
    return command ? 0 : 2
  }
  // `conform … | head`: a reader that goes away stops what is printed, never the command (a run mid-check above all).
  surviveBrokenPipes()
  const load = COMMANDS[command]
  if (!load) {
    process.stderr.write(`conform: unknown command "${command}"\n\n${MAIN_HELP}`)
    return 2
  }
  try {
    return await (await load()).default(rest)
  } catch (e) {
    if (e instanceof SpecErrors) {
      process.stderr.write(`${e.errors.map((x) => x.describe()).join('\n')}\n\n${e.errors.length} problem(s) found; nothing was run.\n`)
      return 2
    }
    if (e instanceof ConformError) {
      process.stderr.write(`conform: ${e.describe()}\n`)
      return e.category === 'transport' || e.category === 'setup' ? 3 : 2
    }
    process.stderr.write(`conform: internal error (the suite itself failed, not a verdict): ${(e as Error).message}\n`)
    return EXIT.suiteError
  }
}
