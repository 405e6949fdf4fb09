import { loadProject } from '../src/project.ts'
import { Runner } from '../src/engine/environment.ts'
import { planCases } from '../src/engine/plan.ts'
import { startTarget } from '../src/run/resolve-target.ts'
const project = loadProject()
const started = await startTarget(project, 'reference', [], { thread: true })
for (let round = 0; round < Number(process.env.ROUNDS ?? 2); round++) {
  const runner = new Runner({ target: started.target, apis: project.apis, catalogue: project.catalogue, seed: 42 + round })
  const cases = planCases(project, started.target, {})
  const c0 = (process as any).threadCpuUsage(); const t0 = performance.now()
  const results = await runner.runAll(cases)
  const t1 = performance.now(); const c1 = (process as any).threadCpuUsage(c0)
  await runner.close()
  const ex = results.reduce((n, r) => n + r.exchanges.length + (r.control?.length ?? 0), 0)
  console.log(`round ${round}: wall ${(t1 - t0).toFixed(0)} ms, this thread cpu ${((c1.user + c1.system) / 1000).toFixed(0)} ms for ${ex} requests = ${((c1.user + c1.system) / 1000 / ex).toFixed(3)} ms/request`)
}
await started.stop()
