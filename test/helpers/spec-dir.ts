import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { SPECS_DIR } from '../../src/paths.ts'

export const VALID_SPEC = `id: t.update-user-email.noop
title: Same email is a no-op
covers: [IE-4]
api: inforouter
given:
  users:
    jane: { role: member }
  caller: jane
when:
  UpdateUserEmail:
    UserName: \${jane.userName}
    NewEmailAddress: \${jane.email}
then:
  response: { success: "true", error: "" }
  unchanged: [jane]
`

/** A throwaway specs folder: the real catalogue and API description, plus the given spec files. */
export function specDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'conform-specs-'))
  cpSync(resolve(SPECS_DIR, 'behaviours.yaml'), join(dir, 'behaviours.yaml'))
  mkdirSync(join(dir, 'inforouter', 'x'), { recursive: true })
  cpSync(resolve(SPECS_DIR, 'inforouter', 'api.yaml'), join(dir, 'inforouter', 'api.yaml'))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'inforouter', 'x', name), text)
  return dir
}
