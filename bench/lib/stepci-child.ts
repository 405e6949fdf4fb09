/**
 * Runs a Step CI workflow with Step CI's own runner (the engine its CLI runs), in a process of its own: reads
 * `{ runner, workflow, secrets }` as JSON on stdin (the secrets never touch a file or a command line), prints
 * `{ durationMs, tests, steps, failedSteps, erroredSteps }` as JSON on stdout.
 */
import { pathToFileURL } from 'node:url'

interface StepResult {
  passed: boolean
  errored?: boolean
}
interface Runner {
  run(workflow: unknown, options: { secrets: Record<string, string> }): Promise<{ result: { duration: number; tests: Array<{ steps: StepResult[] }> } }>
}

const chunks: Buffer[] = []
for await (const c of process.stdin) chunks.push(c as Buffer)
const input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { runner: string; workflow: unknown; secrets: Record<string, string> }
const runner = ((await import(pathToFileURL(input.runner).href)) as { default: Runner }).default
const { result } = await runner.run(input.workflow, { secrets: input.secrets })
const steps = result.tests.flatMap((t) => t.steps)
process.stdout.write(
  `${JSON.stringify({ durationMs: result.duration, tests: result.tests.length, steps: steps.length, failedSteps: steps.filter((s) => !s.passed).length, erroredSteps: steps.filter((s) => s.errored).length })}\n`,
)
