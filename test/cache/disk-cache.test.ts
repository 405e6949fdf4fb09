import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { DiskCache, packageVersion } from '../../src/cache/disk-cache.ts'

const scratch = mkdtempSync(join(tmpdir(), 'conform-disk-cache-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe('the disk cache the YAML parses and the validators share', () => {
  const cache = new DiskCache('entries', '.bin', scratch)

  test('an entry is named by all its key parts, in order: the same parts, the same file; any other part, another', () => {
    const entry = cache.entryOf(['format 1', 'yaml@2', 'text'])
    expect(entry).toBe(cache.entryOf(['format 1', 'yaml@2', 'text']))
    expect(entry).toMatch(/[/\\]entries[/\\][0-9a-f]{32}\.bin$/)
    expect(cache.entryOf(['format 2', 'yaml@2', 'text'])).not.toBe(entry)
    expect(cache.entryOf(['format 1', 'yaml@3', 'text'])).not.toBe(entry)
    expect(cache.entryOf(['yaml@2', 'format 1', 'text'])).not.toBe(entry)
    // The separator keeps parts apart: "ab" + "c" is not "a" + "bc".
    expect(cache.entryOf(['ab', 'c'])).not.toBe(cache.entryOf(['a', 'bc']))
  })

  test('what is written is read back whole, and no temporary file stays behind', () => {
    const entry = cache.entryOf(['round trip'])
    expect(cache.read(entry)).toBeUndefined()
    expect(cache.write(entry, 'cached text')).toBe(true)
    expect(cache.read(entry)?.toString()).toBe('cached text')
    expect(cache.write(entry, new Uint8Array([1, 2, 3]))).toBe(true)
    expect([...cache.read(entry)!]).toEqual([1, 2, 3])
    expect(readdirSync(cache.dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  test('a cache that cannot be written is a miss, never an error', () => {
    const blocked = join(scratch, 'a-file')
    writeFileSync(blocked, '')
    const unwritable = new DiskCache('entries', '.bin', blocked)
    const entry = unwritable.entryOf(['x'])
    expect(unwritable.write(entry, 'x')).toBe(false)
    expect(unwritable.read(entry)).toBeUndefined()
  })

  test('a package version for keys; "?" for one that is not installed', () => {
    expect(packageVersion('yaml')).toMatch(/^\d+\.\d+\.\d+/)
    expect(packageVersion('no-such-package-conform')).toBe('?')
  })
})
