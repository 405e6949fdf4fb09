import { createPrivateKey } from 'node:crypto'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { loadConfig } from '../../src/config.ts'
import { ConformError, SpecErrors } from '../../src/errors.ts'
import { loadTlsMaterial, tlsWarnings } from '../../src/net/tls-material.ts'
import { makePki, type TestPki } from '../helpers/certs.ts'

let pki: TestPki
beforeAll(() => {
  pki = makePki()
})

/** Writes a config with one staging target whose `tls:` is `tls` (YAML flow or block text). */
function configWith(tls: string, dir = mkdtempSync(join(tmpdir(), 'conform-tlscfg-'))): string {
  const file = join(dir, 'conform.config.yaml')
  writeFileSync(
    file,
    `targets:\n  staging:\n    tls:\n${tls
      .split('\n')
      .map((l) => `      ${l}`)
      .join('\n')}\n    apis:\n      inforouter:\n        baseUrl: https://x.example\n`,
  )
  return file
}

function errors(file: string): string[] {
  try {
    loadConfig(file)
  } catch (e) {
    if (!(e instanceof SpecErrors)) throw e
    return e.errors.map((x) => `${x.code}@${x.location?.line}:${x.location?.column}`)
  }
  return []
}

describe('tls: in the config', () => {
  test('relative paths are relative to the config file; env references stay for the worker to resolve', () => {
    const dir = mkdtempSync(join(tmpdir(), 'conform-tlscfg-'))
    mkdirSync(join(dir, 'certs'))
    writeFileSync(join(dir, 'certs', 'ca.pem'), pki.pem(pki.ca))
    writeFileSync(join(dir, 'certs', 'client.pem'), pki.pem(pki.clientCert))
    const file = configWith('ca: certs/ca.pem\ncert: certs/client.pem\nkey: "${env:CLIENT_KEY}"\npassphrase: "${env:KEY_PASS}"', dir)
    expect(loadConfig(file).targets.staging!.tls).toEqual({
      ca: [join(dir, 'certs', 'ca.pem')],
      cert: join(dir, 'certs', 'client.pem'),
      key: '${env:CLIENT_KEY}',
      passphrase: '${env:KEY_PASS}',
    })
  })
  test('a private key written into the config is refused like a literal password', () => {
    const pem = pki
      .pem(pki.clientKey)
      .trim()
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n')
    expect(errors(configWith(`cert: ${pki.clientCert}\nkey: |\n${pem}`))).toEqual(['LITERAL_SECRET@5:12'])
  })
  test('a private key pasted into cert (a combined PEM) is refused too', () => {
    const pem = `${pki.pem(pki.clientCert)}${pki.pem(pki.clientKey)}`
      .trim()
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n')
    expect(errors(configWith(`cert: |\n${pem}\nkey: ${pki.clientKey}`))).toEqual(['LITERAL_SECRET@4:13'])
  })
  test('a literal passphrase is refused', () => {
    expect(errors(configWith(`cert: ${pki.clientCert}\nkey: ${pki.clientKey}\npassphrase: hunter2`))).toEqual(['LITERAL_SECRET@6:19'])
  })
  test('a file that is not there is a config error at its line', () => {
    expect(errors(configWith('ca: certs/missing.pem'))).toEqual(['TLS_FILE_MISSING@4:11'])
  })
  test('a certificate without its key is a schema error', () => {
    expect(errors(configWith(`cert: ${pki.clientCert}`))).toEqual(['BAD_VALUE@4:7'])
  })
  test('insecure together with ca is contradictory', () => {
    expect(errors(configWith(`ca: ${pki.ca}\ninsecure: true`))).toEqual(['TLS_CONFLICT@5:17'])
  })
  test('the embedded reference takes no tls', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'conform-tlscfg-')), 'conform.config.yaml')
    writeFileSync(file, `targets:\n  reference:\n    reference: true\n    tls: { insecure: true }\n`)
    expect(errors(file)).toEqual(['TLS_ON_REFERENCE@4:5'])
  })
})

describe('tls material, read where the connections are made', () => {
  const fail = (f: () => unknown): ConformError => {
    try {
      f()
    } catch (e) {
      expect(e).toBeInstanceOf(ConformError)
      return e as ConformError
    }
    return expect.unreachable('expected an error') as never
  }
  test('no tls: Node defaults, verified', () => {
    expect(loadTlsMaterial(undefined)).toEqual({ rejectUnauthorized: true, clientCert: false })
  })
  test("a key that is not the certificate's: a config error that names the mismatch, not the key", () => {
    const e = fail(() => loadTlsMaterial({ cert: pki.clientCert, key: pki.strangerKey }))
    expect([e.code, e.category]).toEqual(['TLS_MATERIAL', 'spec'])
    expect(e.message).toMatch(/tls\.key is not the key of tls\.cert/)
    expect(e.message).not.toContain('PRIVATE KEY')
  })
  test('an unreadable file, a variable that is not set, and a file that is not PEM are config errors', () => {
    expect(fail(() => loadTlsMaterial({ ca: ['/nonexistent/ca.pem'] })).code).toBe('TLS_FILE_UNREADABLE')
    expect(fail(() => loadTlsMaterial({ cert: pki.clientCert, key: '${env:NOT_SET_ANYWHERE}' }, {})).code).toBe('ENV_MISSING')
    expect(fail(() => loadTlsMaterial({ ca: [pki.clientKey] })).code).toBe('TLS_NOT_PEM')
  })
  test('an encrypted key: the passphrase comes from the environment; a wrong one is named', () => {
    const encrypted = join(pki.dir, 'client-encrypted.key')
    writeFileSync(encrypted, createPrivateKey(pki.pem(pki.clientKey)).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'right-one' }))
    const tls = { cert: pki.clientCert, key: encrypted, passphrase: '${env:KEY_PASS}' }
    expect(loadTlsMaterial(tls, { KEY_PASS: 'right-one' }).clientCert).toBe(true)
    const e = fail(() => loadTlsMaterial(tls, { KEY_PASS: 'wrong-one' }))
    expect(e.code).toBe('TLS_MATERIAL')
    expect(e.message).not.toMatch(/right-one|wrong-one/)
  })
  test('one PEM file holding certificate and key (as converted from a .p12) serves as both', () => {
    const combined = join(pki.dir, 'client-combined.pem')
    writeFileSync(combined, `${pki.pem(pki.clientCert)}${pki.pem(pki.clientKey)}`)
    expect(loadTlsMaterial({ cert: combined, key: combined }).clientCert).toBe(true)
  })
  test('insecure warns; nothing else does', () => {
    expect(tlsWarnings({ name: 'staging', tls: { insecure: true } })).toEqual([
      expect.stringMatching(/^warning: target staging: TLS certificate verification is OFF/),
    ])
    expect(tlsWarnings({ name: 'staging', tls: { ca: [pki.ca] } })).toEqual([])
  })
})
