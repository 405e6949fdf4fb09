/**
 * The LogicMelon store: an organisation tree (top-level organisations hold the API key), provisioning
 * groups, and users whose columns are the CUser element names. Organisations start at 1001, users at 20001.
 */
import type { DatabaseSync } from 'node:sqlite'
import { FLAG_FIELDS, UPDATEABLE_TEXT_FIELDS } from './cuser.ts'

const USER_COLUMNS = [
  'UserID INTEGER PRIMARY KEY AUTOINCREMENT',
  'OrganisationID INTEGER NOT NULL REFERENCES lm_organisations (organisation_id)',
  'UserIdentifier TEXT NOT NULL',
  'Username TEXT NOT NULL',
  'UsernameKey TEXT NOT NULL UNIQUE',
  // UserIdentifier lower-cased as JavaScript does (SQLite's lower() folds ASCII only): UserList finds a user by it.
  "IdentifierKey TEXT NOT NULL DEFAULT ''",
  'Password TEXT NOT NULL',
  'UserRoleID INTEGER NOT NULL',
  ...UPDATEABLE_TEXT_FIELDS.map((f) => `${f} TEXT NOT NULL DEFAULT ''`),
  ...FLAG_FIELDS.map((f) => `${f} INTEGER NOT NULL DEFAULT 0`),
]

const DDL = `
CREATE TABLE IF NOT EXISTS lm_organisations (
  organisation_id INTEGER PRIMARY KEY AUTOINCREMENT,
  identifier TEXT NOT NULL,
  identifier_key TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  parent_id INTEGER REFERENCES lm_organisations (organisation_id),
  api_key TEXT UNIQUE
);
CREATE TABLE IF NOT EXISTS lm_groups (
  name TEXT PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES lm_organisations (organisation_id),
  child_organisation_id INTEGER REFERENCES lm_organisations (organisation_id)
);
CREATE TABLE IF NOT EXISTS lm_users (
  ${USER_COLUMNS.join(',\n  ')}
);
CREATE INDEX IF NOT EXISTS lm_users_identifier ON lm_users (IdentifierKey);
CREATE INDEX IF NOT EXISTS lm_users_organisation ON lm_users (OrganisationID);
CREATE INDEX IF NOT EXISTS lm_organisations_parent ON lm_organisations (parent_id);`

const FIRST_IDS: ReadonlyArray<readonly [string, number]> = [
  ['lm_organisations', 1001],
  ['lm_users', 20001],
]

/** Creates the tables (idempotent) and starts each id sequence at its first id, once. */
export function createLogicMelonSchema(db: DatabaseSync): void {
  db.exec(DDL)
  const seed = db.prepare('INSERT INTO sqlite_sequence (name, seq) SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?)')
  for (const [table, first] of FIRST_IDS) seed.run(table, first - 1, table)
}
