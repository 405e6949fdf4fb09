import { closeSync, openSync } from 'node:fs'
import { DatabaseSync } from 'node:sqlite'

/**
 * Opens the reference's SQLite database (a file, or ':memory:'). Schemas are created by each API module. A new file is
 * made readable by its owner only (SQLite gives its WAL the same mode): it holds the fixture users' passwords and API
 * keys, as the env file `serve --write-config` writes beside it does (mode 600).
 */
export function openDatabase(file: string): DatabaseSync {
  if (file !== ':memory:') closeSync(openSync(file, 'a', 0o600))
  const db = new DatabaseSync(file)
  db.exec('PRAGMA foreign_keys = ON')
  if (file !== ':memory:') db.exec('PRAGMA journal_mode = WAL')
  return db
}

/** Runs fn in one transaction: committed when it returns, rolled back when it throws. Nested calls join the outer one. */
export function inTransaction<T>(db: DatabaseSync, fn: () => T): T {
  if (db.isTransaction) return fn()
  db.exec('BEGIN IMMEDIATE')
  try {
    const result = fn()
    db.exec('COMMIT')
    return result
  } catch (error) {
    db.exec('ROLLBACK')
    throw error
  }
}
