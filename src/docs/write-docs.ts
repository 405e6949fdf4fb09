import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { PROJECT_ROOT } from '../paths.ts'
import { loadProject } from '../project.ts'
import { REFERENCE_DIR, referencePages } from './api-reference.ts'

/** `npm run docs`: writes docs/apis/ from the project, and removes pages of APIs that are gone. */
const pages = referencePages(loadProject())
const dir = resolve(PROJECT_ROOT, REFERENCE_DIR)
mkdirSync(dir, { recursive: true })
for (const file of readdirSync(dir)) {
  if (file.endsWith('.md') && !pages.has(`${REFERENCE_DIR}/${file}`)) rmSync(resolve(dir, file))
}
for (const [path, text] of pages) writeFileSync(resolve(PROJECT_ROOT, path), text)
process.stdout.write(`wrote ${pages.size} page(s) under ${REFERENCE_DIR}/\n`)
