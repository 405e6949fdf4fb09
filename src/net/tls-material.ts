import { readFileSync } from 'node:fs'
import { createSecureContext, getCACertificates, type SecureContext } from 'node:tls'
import { resolveEnv } from '../config.ts'
import { ConformError } from '../errors.ts'
import type { TlsConfig } from '../spec/model.ts'

/** What a connection needs: one secure context built once (roots, client certificate) and whether to verify. */
export interface TlsMaterial {
  /** Absent: Node's defaults (its roots plus NODE_EXTRA_CA_CERTS), no client certificate. */
  secureContext?: SecureContext
  rejectUnauthorized: boolean
  /** A client certificate is presented (for telling "required" from "rejected" in failures). */
  clientCert: boolean
}

const PEM = /-----BEGIN [A-Z0-9 ]+-----/

/** The PEM behind a config value: text as is, or the file it names (after `${env:NAME}` resolution). */
function pem(name: string, value: string, env: NodeJS.ProcessEnv): string {
  const v = resolveEnv(value, env)
  if (PEM.test(v)) return v
  try {
    return readFileSync(v, 'utf8')
  } catch (e) {
    throw new ConformError('TLS_FILE_UNREADABLE', 'spec', `tls.${name}: cannot read ${v} (${(e as NodeJS.ErrnoException).code ?? 'error'})`)
  }
}

function needPem(name: string, text: string, kind: RegExp, what: string): string {
  if (!kind.test(text))
    throw new ConformError('TLS_NOT_PEM', 'spec', `tls.${name} holds no PEM ${what} (expected a "-----BEGIN ${what.toUpperCase()}-----" block)`)
  return text
}

/**
 * Reads a target's TLS settings into a secure context. Mistakes (a missing file, a key that does not match
 * its certificate, a wrong passphrase) are config errors, found before anything is sent. Messages name the
 * setting and the file, never the key.
 */
export function loadTlsMaterial(config: TlsConfig | undefined, env: NodeJS.ProcessEnv = process.env): TlsMaterial {
  if (!config) return { rejectUnauthorized: true, clientCert: false }
  const rejectUnauthorized = config.insecure !== true
  const ca = config.ca?.map((v) => needPem('ca', pem('ca', v, env), /-----BEGIN CERTIFICATE-----/, 'certificate'))
  const cert = config.cert === undefined ? undefined : needPem('cert', pem('cert', config.cert, env), /-----BEGIN CERTIFICATE-----/, 'certificate')
  const key = config.key === undefined ? undefined : needPem('key', pem('key', config.key, env), /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/, 'private key')
  const passphrase = config.passphrase === undefined ? undefined : resolveEnv(config.passphrase, env)
  if (!ca && !cert) return { rejectUnauthorized, clientCert: false }
  try {
    const secureContext = createSecureContext({
      // Node's roots (bundled, NODE_EXTRA_CA_CERTS, and the OS store under NODE_USE_SYSTEM_CA) stay trusted.
      ...(ca ? { ca: [...getCACertificates('default'), ...ca] } : {}),
      ...(cert ? { cert, key } : {}),
      ...(passphrase !== undefined ? { passphrase } : {}),
    })
    return { secureContext, rejectUnauthorized, clientCert: cert !== undefined }
  } catch (e) {
    const reason = ((e as Error).message.split(':').pop() ?? '').trim() || (e as Error).message
    const hint = /bad decrypt|passphrase/i.test(reason) ? ' (wrong tls.passphrase?)' : /mismatch/i.test(reason) ? ' (tls.key is not the key of tls.cert)' : ''
    throw new ConformError('TLS_MATERIAL', 'spec', `the target's tls settings cannot be used: ${reason}${hint}`)
  }
}

/** Lines to print on every run of a target whose TLS settings weaken it. */
export function tlsWarnings(target: { name: string; tls?: TlsConfig }): string[] {
  if (target.tls?.insecure !== true) return []
  return [
    `warning: target ${target.name}: TLS certificate verification is OFF (tls.insecure: true); anyone between here and the target can read and change this run's traffic, credentials included. Trust the target's CA with tls.ca or NODE_EXTRA_CA_CERTS instead.`,
  ]
}
