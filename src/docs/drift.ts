import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'

/**
 * How the generated pages on disk differ from what the generator makes now: a page missing, different, or left over
 * in a folder the generator owns (a page of an API that is gone). Empty when they agree.
 */
export function pagesDrift(pages: ReadonlyMap<string, string>, root: string): string[] {
  const drift: string[] = []
  const dirs = new Set([...pages.keys()].map((p) => dirname(p)))
  for (const [path, text] of pages) {
    const file = resolve(root, path)
    if (!existsSync(file)) drift.push(`${path} is missing`)
    else if (readFileSync(file, 'utf8') !== text) drift.push(`${path} differs from what the generator makes`)
  }
  for (const dir of dirs) {
    if (!existsSync(resolve(root, dir))) continue
    for (const file of readdirSync(resolve(root, dir))) {
      if (file.endsWith('.md') && !pages.has(`${dir}/${file}`)) drift.push(`${dir}/${file} is not generated (an API that is gone?)`)
    }
  }
  return drift.sort()
}
