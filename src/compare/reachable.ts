import { requireEnv } from '../config.ts'
import { type PlanFilters, planChecks } from '../engine/plan.ts'
import type { Project } from '../project.ts'
import { preflightAccounts } from '../run/preflight-accounts.ts'
import { startTarget } from '../run/resolve-target.ts'
import { preflight } from '../cli/preflight.ts'

/**
 * Before any run: each configured target (the embedded reference needs nothing) has its variables set (else exit 2),
 * answers at every base URL of the compared APIs, and lets every fixture account those APIs' checks need log in and be
 * read (else exit 3, the message naming the target and the URL or account); `filters`: only the accounts the selected
 * checks need. The runs' own preflight would find the same, but only once the baseline had run twice.
 */
export async function requireReachable(
  project: Project,
  targets: readonly string[],
  apis: readonly string[],
  filters: Omit<PlanFilters, 'apis'> = {},
): Promise<void> {
  for (const name of targets) {
    const config = project.config.targets[name]!
    if (config.reference) continue
    const narrowed = { ...config, apis: Object.fromEntries(Object.entries(config.apis).filter(([a]) => apis.includes(a))) }
    const only = { ...project, config: { ...project.config, targets: { ...project.config.targets, [name]: narrowed } } }
    requireEnv(only.config, name)
    await preflight(narrowed)
    const started = await startTarget(only, name)
    try {
      await preflightAccounts({
        target: started.target,
        apis: project.apis,
        catalogue: project.catalogue,
        cases: planChecks(only, started.target, { ...filters, apis: [...apis] }),
      })
    } finally {
      await started.stop()
    }
  }
}
