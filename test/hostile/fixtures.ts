import { request } from 'undici'
import { CONTROL_HEADER, type RunningReference } from '../../reference/index.ts'

export type Accounts = Record<string, Array<Record<string, string>>>

async function provision(ref: RunningReference, api: string, body: Record<string, string>): Promise<Record<string, string>> {
  const r = await request(`${ref.url}/__reference/${api}/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [CONTROL_HEADER]: ref.controlKey },
    body: JSON.stringify(body),
  })
  const text = await r.body.text()
  if (r.statusCode !== 201) throw new Error(`provisioning ${api} ${body.role}: ${r.statusCode} ${text}`)
  return JSON.parse(text) as Record<string, string>
}

/**
 * Fixture accounts made in the reference, as a staging target's config lists them: secrets as ${env:…}
 * references, their values in `env`.
 */
export async function fixtureAccounts(ref: RunningReference, roles: { inforouter: string[]; 'ecgrid-rest': string[] }) {
  const env: Record<string, string> = {}
  let n = 0
  const secret = (value: string) => {
    env[`HOSTILE_SECRET_${++n}`] = value
    return `\${env:HOSTILE_SECRET_${n}}`
  }
  const accounts: Record<'inforouter' | 'ecgrid-rest', Accounts> = { inforouter: {}, 'ecgrid-rest': {} }
  for (const [i, role] of roles.inforouter.entries()) {
    const userName = `hostile${role}${i}`
    const password = `Pw-${i}-${Math.random().toString(36).slice(2)}`
    await provision(ref, 'inforouter', { userName, password, role, email: `${userName}@example.com`, mobileNumber: '15550001111' })
    ;(accounts.inforouter[role] ??= []).push({ userName, password: secret(password) })
  }
  for (const [i, role] of roles['ecgrid-rest'].entries()) {
    const login = `hostile${role.toLowerCase()}${i}`
    const password = `Pw-${i}-${Math.random().toString(36).slice(2)}`
    const made = await provision(ref, 'ecgridos', {
      login,
      password,
      role,
      group: 'hostile',
      firstName: 'Fix',
      lastName: 'Ture',
      email: `${login}@example.com`,
    })
    ;(accounts['ecgrid-rest'][role] ??= []).push({ login, password: secret(password), userId: made.userId!, apiKey: secret(made.apiKey!) })
  }
  return { env, accounts }
}
