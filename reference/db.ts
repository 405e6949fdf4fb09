import { DatabaseSync } from 'node:sqlite'

/** Opens the reference's SQLite database (a file, or ':memory:'). Schemas are created by each API module. */
export function openDatabase(file: string): DatabaseSync {
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
