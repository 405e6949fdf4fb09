import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { secondSignalMessage } from '../../src/run/signals.ts'

const dir = mkdtempSync(join(tmpdir(), 'signals-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('a second signal names the journal to replay only when the run has one', () => {
  const journal = join(dir, 'journal.jsonl')
  expect(secondSignalMessage('SIGINT', journal)).toBe('\nSIGINT again: stopping now. No fixture user was being changed: there is nothing to restore.\n')
  writeFileSync(journal, '')
  expect(secondSignalMessage('SIGTERM', journal)).toBe(
    `\nSIGTERM again: stopping now. Users still being restored are in the journal: run conform restore --journal ${journal}\n`,
  )
})
