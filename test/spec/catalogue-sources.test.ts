import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, test } from 'vitest'
import { levelSourceErrors, loadCatalogue } from '../../src/catalogue.ts'
import { SpecErrors } from '../../src/errors.ts'
import { SPECS_DIR } from '../../src/paths.ts'

/** DESIGN, "Where the truth comes from": the catalogue records the source of each behaviour's level. */

const REAL = readFileSync(resolve(SPECS_DIR, 'behaviours.yaml'), 'utf8')

function errorsOf(text: string): string[] {
  const file = join(mkdtempSync(join(tmpdir(), 'conform-catalogue-')), 'behaviours.yaml')
  writeFileSync(file, text)
  try {
    loadCatalogue(file)
    return []
  } catch (e) {
    if (!(e instanceof SpecErrors)) throw e
    return e.errors.map((x) => `${x.code}@${x.location?.line}:${x.location?.column}`)
  }
}

describe('every behaviour says where it comes from', () => {
  test('the shipped catalogue: every behaviour has a source; every MUST rests on a page, the docs or the framework, or says why', () => {
    const catalogue = loadCatalogue()
    for (const b of catalogue.values()) {
      expect(b.source, b.id).toMatch(/^(page|docs|framework|DESIGN)\b/)
      expect(levelSourceErrors(b), b.id).toEqual([])
    }
  })
  test('a behaviour without a source is refused', () => {
    expect(errorsOf(REAL.replace("    source: 'page 000_a4a577baa91c02cc'\n", ''))).toEqual(['MISSING_KEY@5:5'])
  })
  test('a source that names no kind is refused', () => {
    expect(errorsOf(REAL.replace("    source: 'page 000_a4a577baa91c02cc'\n", "    source: 'somewhere'\n"))).toEqual(['BAD_VALUE@13:13'])
  })
  test('a MUST on a DESIGN decision alone, without mustBecause, is refused where its level is written', () => {
    const text = REAL.replace('    source: \'DESIGN D2 (the page is silent on "", SHOULD)\'', "    source: 'DESIGN D2'").replace(
      /(- id: ER-10\n {4}level: )SHOULD/,
      '$1MUST',
    )
    const line = text.split('\n').indexOf('  - id: ER-10') + 2
    expect(errorsOf(text)).toEqual([`LEVEL_SOURCE@${line}:12`])
    expect(
      errorsOf(text.replace("    source: 'DESIGN D2'", "    source: 'DESIGN D2'\n    mustBecause: 'every implementation that clears on empty agrees here'")),
    ).toEqual([])
  })
})
