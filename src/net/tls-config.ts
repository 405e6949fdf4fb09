import { existsSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import type { ConformError } from '../errors.ts'
import { ExpressionError, parseTemplate, refsOf } from '../expr.ts'
import type { TlsConfig } from '../spec/model.ts'
import type { Path, SourceFile } from '../yaml/source.ts'

/** A target's `tls:` as written in conform.config.yaml (after schema validation). */
export interface RawTlsConfig {
  ca?: string | string[]
  cert?: string
  key?: string
  passphrase?: string
  insecure?: boolean
}

const ENV_ONLY = /^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$/
const PEM = /-----BEGIN [A-Z0-9 ]+-----/
const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/

/**
 * Checks a target's `tls:` and makes file paths absolute (relative to the config file). Key material is a
 * secret: a private key or passphrase written into the config is refused like a literal password.
 */
export function readTlsConfig(raw: RawTlsConfig, at: Path, source: SourceFile, configDir: string, errors: ConformError[]): TlsConfig {
  const value = (name: string, v: string, path: Path): string => {
    if (PRIVATE_KEY.test(v)) {
      errors.push(
        source.error(
          'LITERAL_SECRET',
          `tls.${name} holds a private key: point at a file (key: certs/client.key) or write it as \${env:NAME}; key material never goes in this file`,
          path,
        ),
      )
      return v
    }
    if (PEM.test(v)) return v
    let refs: number
    try {
      const found = refsOf(parseTemplate(v))
      for (const ref of found)
        if (ref.path[0] !== 'env:') errors.push(source.error('BAD_REFERENCE', `${ref.source}: only \${env:NAME} references are allowed in the config`, path))
      refs = found.length
    } catch (e) {
      if (e instanceof ExpressionError) errors.push(source.error('BAD_EXPRESSION', `${e.message} in "${v}"`, path))
      else throw e
      return v
    }
    if (refs > 0) return v
    const file = isAbsolute(v) ? v : resolve(configDir, v)
    if (!existsSync(file)) errors.push(source.error('TLS_FILE_MISSING', `tls.${name}: there is no file ${file} (paths are relative to the config file)`, path))
    return file
  }
  const tls: TlsConfig = {}
  if (raw.ca !== undefined) {
    const list = Array.isArray(raw.ca) ? raw.ca : [raw.ca]
    tls.ca = list.map((v, i) => value('ca', v, Array.isArray(raw.ca) ? [...at, 'ca', i] : [...at, 'ca']))
  }
  if (raw.cert !== undefined) tls.cert = value('cert', raw.cert, [...at, 'cert'])
  if (raw.key !== undefined) {
    if (PEM.test(raw.key))
      errors.push(
        source.error(
          'LITERAL_SECRET',
          'tls.key is key material: point at a file (key: certs/client.key) or write it as ${env:NAME}; key material never goes in this file',
          [...at, 'key'],
        ),
      )
    else tls.key = value('key', raw.key, [...at, 'key'])
  }
  if (raw.passphrase !== undefined) {
    if (!ENV_ONLY.test(raw.passphrase))
      errors.push(
        source.error(
          'LITERAL_SECRET',
          'tls.passphrase is a credential: write it as ${env:NAME} and put the value in the environment (CI secrets), never in this file',
          [...at, 'passphrase'],
        ),
      )
    else tls.passphrase = raw.passphrase
  }
  if (raw.insecure === true) {
    if (raw.ca !== undefined)
      errors.push(
        source.error('TLS_CONFLICT', 'tls.insecure: true turns certificate verification off, so tls.ca would be ignored: keep one of them', [
          ...at,
          'insecure',
        ]),
      )
    tls.insecure = true
  }
  return tls
}
