import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * A throwaway PKI made at test time with the `openssl` CLI (no private key is ever committed): a CA, a
 * server certificate for localhost/127.0.0.1, a client certificate, and the broken ones the failure
 * messages are tested with. EC P-256 keys: the whole set takes well under a second.
 */
export interface TestPki {
  dir: string
  /** File paths. */
  ca: string
  serverCert: string
  serverKey: string
  clientCert: string
  clientKey: string
  /** Issued by another CA the server does not trust. */
  strangerCert: string
  strangerKey: string
  /** Expired yesterday. */
  expiredCert: string
  /** Valid, but only for other.example. */
  wrongHostCert: string
  /** PEM text of a file of the set. */
  pem(file: string): string
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
}

function newKey(dir: string, name: string): void {
  openssl(dir, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', name])
}

function selfSignedCa(dir: string, name: string): void {
  newKey(dir, `${name}.key`)
  writeFileSync(join(dir, `${name}.ext`), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n')
  openssl(dir, ['req', '-new', '-key', `${name}.key`, '-subj', `/CN=${name} (conform tests)`, '-out', `${name}.csr`])
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-signkey', `${name}.key`, '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.crt`])
}

let serial = 1000

function issue(dir: string, name: string, opts: { ca: string; ext: string; days?: number; key?: string }): void {
  const key = opts.key ?? `${name}.key`
  if (!opts.key) newKey(dir, key)
  writeFileSync(join(dir, `${name}.ext`), `${opts.ext}\n`)
  openssl(dir, ['req', '-new', '-key', key, '-subj', `/CN=${name}`, '-out', `${name}.csr`])
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${opts.ca}.crt`,
    '-CAkey',
    `${opts.ca}.key`,
    '-set_serial',
    String(serial++),
    '-days',
    String(opts.days ?? 2),
    '-extfile',
    `${name}.ext`,
    '-out',
    `${name}.crt`,
  ])
}

export function makePki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'conform-pki-'))
  const server = 'basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1'
  const client = 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth'
  selfSignedCa(dir, 'ca')
  selfSignedCa(dir, 'stranger-ca')
  issue(dir, 'server', { ca: 'ca', ext: server })
  issue(dir, 'client', { ca: 'ca', ext: client })
  issue(dir, 'stranger', { ca: 'stranger-ca', ext: client })
  issue(dir, 'expired', { ca: 'ca', ext: server, days: -1, key: 'server.key' })
  issue(dir, 'wrong-host', { ca: 'ca', ext: 'basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:other.example', key: 'server.key' })
  const f = (name: string) => join(dir, name)
  return {
    dir,
    ca: f('ca.crt'),
    serverCert: f('server.crt'),
    serverKey: f('server.key'),
    clientCert: f('client.crt'),
    clientKey: f('client.key'),
    strangerCert: f('stranger.crt'),
    strangerKey: f('stranger.key'),
    expiredCert: f('expired.crt'),
    wrongHostCert: f('wrong-host.crt'),
    pem: (file) => readFileSync(file, 'utf8'),
  }
}
