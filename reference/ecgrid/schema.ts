/**
 * The ECGrid store (D3: SOAP and REST are two faces of one backend): networks, mailboxes, provisioning
 * groups, users and ECGridOS sessions. Ids start where the documentation's examples live: users at 5001,
 * networks at 10, mailboxes at 100.
 */
import type { DatabaseSync } from 'node:sqlite'

const DDL = `
CREATE TABLE IF NOT EXISTS ec_networks (
  network_id INTEGER PRIMARY KEY AUTOINCREMENT
);
CREATE TABLE IF NOT EXISTS ec_mailboxes (
  mailbox_id INTEGER PRIMARY KEY AUTOINCREMENT,
  network_id INTEGER NOT NULL REFERENCES ec_networks (network_id)
);
CREATE TABLE IF NOT EXISTS ec_groups (
  name TEXT PRIMARY KEY,
  network_id INTEGER NOT NULL REFERENCES ec_networks (network_id),
  mailbox_id INTEGER NOT NULL REFERENCES ec_mailboxes (mailbox_id)
);
CREATE TABLE IF NOT EXISTS ec_users (
  user_id INTEGER PRIMARY KEY AUTOINCREMENT,
  login TEXT NOT NULL,
  login_key TEXT NOT NULL UNIQUE,
  password TEXT NOT NULL,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  email TEXT NOT NULL,
  network_id INTEGER NOT NULL,
  mailbox_id INTEGER NOT NULL,
  auth_level TEXT NOT NULL,
  status TEXT NOT NULL,
  created TEXT NOT NULL,
  api_key TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS ec_sessions (
  session_id TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES ec_users (user_id) ON DELETE CASCADE,
  logged_out INTEGER NOT NULL DEFAULT 0
);`

const FIRST_IDS: ReadonlyArray<readonly [string, number]> = [
  ['ec_users', 5001],
  ['ec_networks', 10],
  ['ec_mailboxes', 100],
]

/** Creates the tables (idempotent) and starts each id sequence at its first id, once. */
export function createEcgridSchema(db: DatabaseSync): void {
  db.exec(DDL)
  const seed = db.prepare('INSERT INTO sqlite_sequence (name, seq) SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?)')
  for (const [table, first] of FIRST_IDS) seed.run(table, first - 1, table)
}
