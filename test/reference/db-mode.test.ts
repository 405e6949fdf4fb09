import { existsSync, mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { openDatabase } from '../../reference/db.ts'

/** The reference's database file holds fixture passwords and API keys: only its owner reads it (and its WAL). */
test('a new database file, and the WAL SQLite makes beside it, are mode 600', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'conform-db-mode-')), 'reference.sqlite')
  const db = openDatabase(file)
  db.exec('CREATE TABLE t (secret TEXT)')
  db.exec("INSERT INTO t VALUES ('Pw-1')")
  for (const f of [file, `${file}-wal`]) {
    expect(existsSync(f), f).toBe(true)
    expect((statSync(f).mode & 0o777).toString(8), f).toBe('600')
  }
  db.close()
})
