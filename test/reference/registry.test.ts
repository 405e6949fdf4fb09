import { existsSync, readdirSync } from 'node:fs'
import { get } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  CONTROL_HEADER,
  embeddedApiNames,
  embeddedApis,
  listDeviations,
  listVariations,
  sessionExpiryApis,
  startReference,
  type RunningReference,
} from '../../reference/index.ts'
import { EMBEDDED_APIS } from '../../reference/registry.ts'
import { referenceApis } from '../../src/run/resolve-target.ts'
import { loadProject } from '../../src/project.ts'
import { SPECS_DIR } from '../../src/paths.ts'

/**
 * The embedded-API registry (reference/registry.ts) is the one list of embedded APIs: the data under specs/, the
 * reference's mounts and control routes, and the deviation and variation catalogues all agree with it.
 */

/** The APIs described as data: each folder of specs/ with an api.yaml. */
const describedApis = (): string[] =>
  readdirSync(SPECS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(SPECS_DIR, d.name, 'api.yaml')))
    .map((d) => d.name)
    .sort()

describe('the embedded-API registry', () => {
  test('every API under specs/ has a registry entry, and every entry an API under specs/', () => {
    const described = describedApis()
    const registered = embeddedApiNames()
    expect(described.length).toBeGreaterThanOrEqual(5)
    expect(
      described.filter((api) => !registered.includes(api)),
      'under specs/ but not in reference/registry.ts',
    ).toEqual([])
    expect(
      registered.filter((api) => !described.includes(api)),
      'in reference/registry.ts but not under specs/',
    ).toEqual([])
  })

  test('the reference target serves every described API (referenceApis)', () => {
    expect([...referenceApis(loadProject())].sort()).toEqual(describedApis())
  })

  test('names are unique; paths, titles and bases come from the entries', () => {
    const names = embeddedApiNames()
    expect(new Set(names).size).toBe(names.length)
    expect(embeddedApis().map((a) => a.api)).toEqual(names)
    for (const a of embeddedApis()) {
      expect(a.paths.length, a.api).toBeGreaterThan(0)
      expect(a.title.length, a.api).toBeGreaterThan(0)
      for (const path of a.paths) expect(path.startsWith('/'), `${a.api}: ${path}`).toBe(true)
    }
    // Two profiles of one service: the second is served under a base of its own, and its paths start with it.
    const served = embeddedApis().flatMap((a) => a.paths)
    expect(new Set(served).size).toBe(served.length)
    for (const a of embeddedApis()) if (a.base !== undefined) for (const path of a.paths) expect(path.startsWith(`${a.base}/`), path).toBe(true)
  })

  test("each entry's deviations name it as their API; the deviation list is the entries' in registry order", () => {
    for (const entry of EMBEDDED_APIS) for (const d of entry.deviations) expect(d.api, d.name).toBe(entry.api)
    expect(listDeviations().map((d) => d.name)).toEqual(EMBEDDED_APIS.flatMap((e) => e.deviations.map((d) => d.name)))
    expect([...new Set(listDeviations().map((d) => d.api))]).toEqual(EMBEDDED_APIS.filter((e) => e.deviations.length > 0).map((e) => e.api))
  })

  test('variations name only varied APIs, and a change to one face of a store names every varied face of it', () => {
    const varied = EMBEDDED_APIS.filter((e) => e.varied)
    const names = varied.map((e) => e.api)
    for (const v of listVariations()) {
      expect(
        v.apis.every((api) => names.includes(api)),
        v.name,
      ).toBe(true)
      for (const api of v.apis) {
        const backend = EMBEDDED_APIS.find((e) => e.api === api)!.backend
        for (const face of varied.filter((e) => e.backend === backend)) expect(v.apis, `${v.name}: ${face.api} shares ${api}'s store`).toContain(face.api)
      }
    }
  })

  test('session expiry on demand is what the entries say (infoRouter only)', () => {
    expect(sessionExpiryApis()).toEqual(EMBEDDED_APIS.filter((e) => e.sessionExpiry).map((e) => e.api))
    expect(sessionExpiryApis()).toEqual(['inforouter'])
  })
})

describe('a started reference mounts every entry', () => {
  let ref: RunningReference
  beforeAll(async () => {
    ref = await startReference({ controlKey: 'r'.repeat(32) })
  })
  afterAll(async () => {
    await ref.close()
  })

  test("each API answers on its first path (WSDL where it has one), and its control endpoint lists its store's users", async () => {
    for (const a of embeddedApis()) {
      const path = `${ref.url}${a.paths[0]}${a.wsdl ? '?WSDL' : ''}`
      const answer = await fetch(path)
      await answer.arrayBuffer()
      expect(answer.status, path).not.toBe(404)
      if (a.wsdl) expect(answer.status, path).toBe(200)
      const users = await fetch(`${ref.url}/__reference/${a.api}/users`, { headers: { [CONTROL_HEADER]: ref.controlKey } })
      expect(users.status, a.api).toBe(200)
      expect(await users.json()).toEqual({ api: a.api, users: [] })
    }
  })
})

describe('variations change only the APIs they list', () => {
  /** Whether the reference sends this path's answer in chunks. */
  const chunked = (url: string): Promise<boolean> =>
    new Promise((resolve, reject) => {
      get(url, (res) => {
        res.resume()
        res.on('end', () => resolve(res.headers['transfer-encoding'] === 'chunked'))
      }).on('error', reject)
    })

  test("http-chunked chunks every varied API's answers and leaves an API that is not varied as it is", async () => {
    const chunking = listVariations().find((v) => v.name === 'http-chunked')!
    const ref = await startReference({ variations: ['http-chunked'] })
    try {
      for (const a of EMBEDDED_APIS) {
        const url = `${ref.url}${a.paths[0]}${a.wsdl ? '?WSDL' : ''}`
        expect(await chunked(url), a.api).toBe(a.varied)
        expect(chunking.apis.includes(a.api), a.api).toBe(a.varied)
      }
      expect(EMBEDDED_APIS.some((a) => !a.varied)).toBe(true)
    } finally {
      await ref.close()
    }
  })
})
