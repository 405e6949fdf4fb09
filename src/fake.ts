import type { Faker, Randomizer } from '@faker-js/faker'
// Faker's English locale alone: the package's main entry loads every locale, which slows every start.
import { faker as english } from '@faker-js/faker/locale/en'

/**
 * Seeded fake data for `${fake.…}`. Each check gets its own Faker seeded from the run seed and the
 * check id, so a check's data is the same whatever order or concurrency it runs in.
 */
/**
 * Names as people have them: letters beyond ASCII in every one (accents, Polish, Turkish, Vietnamese, Icelandic), some
 * beyond the Basic Multilingual Plane (𠮷 in a Japanese surname, a mathematical capital), apostrophes and hyphens,
 * capitals inside. Any text is a valid name (no page restricts names), so a target may not fold, strip or re-encode them.
 */
const FIRST_NAMES = [
  'Zoë',
  'Łukasz',
  'José',
  'Søren',
  'Ðorđe',
  'Chloé',
  'Małgorzata',
  'Siân',
  'Ayşe',
  'Thảo',
  'Þórunn',
  'Renée',
  'Björn',
  'Öykü',
  'Çağla',
  'Ngọc',
  'Jürgen',
  'Ève',
]
const ASTRAL_FIRST_NAMES = ['𝒜da', 'Yū𠮷', '𝔐arie']
const LAST_NAMES = [
  "O'Brien",
  "d'Ávila",
  'Müller-Lüdenscheidt',
  'Østergård',
  'Nowak-Łęcka',
  'Dvořák',
  'Şahin',
  "D'Arcy-García",
  'MacÌomhair',
  'Ōtsuka',
  "N'Dour",
  'Çelik',
]
const ASTRAL_LAST_NAMES = ['𠮷田', "O'𝒞onnor", 'Ló𠀋pez']
const APOSTROPHE_PREFIXES = ["O'", "D'", "L'"]

/** `Łukasz` → `Łukasz` with its first letter upper-cased (faker's English words are lower-case). */
const capital = (word: string): string => `${word.charAt(0).toUpperCase()}${word.slice(1)}`

/** Letters of an English word, capitalised: an atext run for an address. */
const asciiWord = (text: string): string => capital(text.replace(/[^A-Za-z]/g, '').toLowerCase()) || 'X'

/**
 * A valid address with what normalising targets change: capitals in the local part (RFC 5321 §2.4: it is
 * case-sensitive), an apostrophe and a plus (both atext, RFC 5322 §3.2.3; the HTML form rule allows them), sometimes a
 * long local part (at most 64 characters, RFC 5321 §4.5.3.1.1). A dot-atom: no leading, trailing or doubled dots. The
 * domain is lower-case: a domain is not case-sensitive, so a target may fold it.
 */
function email(f: Faker): string {
  const first = asciiWord(f.person.firstName())
  const last = `${f.helpers.arrayElement(APOSTROPHE_PREFIXES)}${asciiWord(f.person.lastName())}`
  const tag = f.string.alphanumeric({ length: 6, casing: 'mixed' })
  const long = f.number.int({ min: 0, max: 2 }) === 0 ? `.${f.string.alpha({ length: 20, casing: 'mixed' })}` : ''
  return `${`${first}.${last}${long}`.slice(0, 64 - tag.length - 1)}+${tag}@example.com`
}

/**
 * A name with one of the curated parts and a common one (so two draws rarely agree): the first a check draws of a kind
 * has its curated part from `astral`, later ones one time in three; sometimes the parts the other way round, or long.
 */
function name(f: Faker, common: string, plain: readonly string[], astral: readonly string[], nth: number): string {
  const curated = nth === 0 || f.number.int({ min: 0, max: 2 }) === 0 ? f.helpers.arrayElement(astral) : f.helpers.arrayElement(plain)
  const joined = f.datatype.boolean() ? `${curated} ${common}` : `${common}-${curated}`
  return f.number.int({ min: 0, max: 4 }) === 0 ? `${joined}-${f.helpers.arrayElement(plain)}` : joined
}

/**
 * What each `${fake.NAME}` draws. `nth` counts the values of that name the source has drawn before (0 for the first):
 * the first of a kind carries every feature a normalising target would change, later ones vary.
 */
export const FAKE_GENERATORS = {
  email: (f: Faker) => email(f),
  firstName: (f: Faker, nth: number) => name(f, f.person.firstName(), FIRST_NAMES, ASTRAL_FIRST_NAMES, nth),
  lastName: (f: Faker, nth: number) => name(f, f.person.lastName(), LAST_NAMES, ASTRAL_LAST_NAMES, nth),
  /** Digits only (a national number, its leading 0 kept: a number is not an integer), so no binding encodes it specially. */
  mobile: (f: Faker) => `07${f.string.numeric(9)}`,
  userName: (f: Faker) =>
    `${f.internet
      .username()
      .replace(/[^A-Za-z0-9]/g, '')
      .toLowerCase()
      .slice(0, 12)}${f.string.alphanumeric(6).toLowerCase()}`,
  /** Upper and lower case, a digit and a sign: what the strictest documented rule asks (ECGridOS, api-facts §1.1). */
  password: (f: Faker) => `${f.internet.password({ length: 14 })}9aZ!`,
  uuid: (f: Faker) => f.string.uuid(),
  word: (f: Faker) => f.lorem.word(),
  phone: (f: Faker) => `+44 20 ${f.string.numeric(4)} ${f.string.numeric(4)}`,
  url: (f: Faker) => `https://${f.internet.domainWord()}-${f.string.alphanumeric(4).toLowerCase()}.example.com/`,
  street: (f: Faker) => `${f.location.streetAddress()}, ${f.helpers.arrayElement(['Straße', 'Rúa', 'Ulica Łąkowa', "Rue de l'Église"])}`,
  city: (f: Faker) => f.helpers.arrayElement([f.location.city(), 'München', 'Łódź', 'São Paulo', 'Reykjavík', 'İstanbul']),
  state: (f: Faker) => f.location.state(),
  country: (f: Faker) => f.location.country(),
  /** The first with a leading 0 (US ZIP codes of New England), later ones sometimes: a numeric text, not a number. */
  postCode: (f: Faker, nth: number) => (nth === 0 ? `0${f.string.numeric(4)}` : f.helpers.arrayElement([f.location.zipCode(), `0${f.string.numeric(4)}`])),
  jobTitle: (f: Faker) => f.person.jobTitle(),
  culture: (f: Faker) => f.helpers.arrayElement(['en-GB', 'en-US', 'fr-FR', 'de-DE', 'nl-NL', 'es-ES']),
  flag: (f: Faker) => String(f.datatype.boolean()),
  int: (f: Faker) => String(f.number.int({ min: 100, max: 99999 })),
} as const satisfies Record<string, (f: Faker, nth: number) => string>

export type FakeName = keyof typeof FAKE_GENERATORS

export function isFakeName(name: string): name is FakeName {
  return Object.hasOwn(FAKE_GENERATORS, name)
}

/** FNV-1a over the text: a stable 32-bit seed for a check. */
export function seedFor(runSeed: number, key: string): number {
  let h = 0x811c9dc5 ^ runSeed
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

// A Faker costs about a millisecond to build (it merges its locales); a run needs two sources per check. So one
// Faker serves them all, drawing from the randomizer of the source asking: generation is synchronous, so sources
// never interleave, and each draws exactly what a Faker of its own seeded the same way would (the default randomizer).
let current: Randomizer | undefined
const FakerClass = english.constructor as new (options: { locale: Faker['rawDefinitions']; randomizer: Randomizer }) => Faker
const shared = new FakerClass({ locale: english.rawDefinitions, randomizer: { next: () => current!.next(), seed: (s) => current!.seed(s) } })

/**
 * sfc32 (Chris Doty-Humphrey's small fast counter), seeded through splitmix32: a run makes a few hundred sources, and
 * Faker's Mersenne Twister seeds 624 words of state each time where this seeds four.
 */
export function sfc32Randomizer(seed: number): Randomizer {
  let a = 0,
    b = 0,
    c = 0,
    d = 0
  const reseed = (s: number | number[]) => {
    let x = (Array.isArray(s) ? s.reduce((h, v) => Math.imul(h ^ v, 0x9e3779b1), 0x6a09e667) : s) | 0
    const split = () => {
      x = (x + 0x9e3779b9) | 0
      let z = x
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
      return (z ^ (z >>> 16)) | 0
    }
    a = split()
    b = split()
    c = split()
    d = 1
    for (let i = 0; i < 12; i++) next()
  }
  const next = () => {
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  reseed(seed)
  return { next, seed: reseed }
}

export function fakeSource(seed: number): (name: FakeName) => string {
  const randomizer = sfc32Randomizer(seed)
  const drawn = new Map<FakeName, number>()
  return (name) => {
    current = randomizer
    const nth = drawn.get(name) ?? 0
    drawn.set(name, nth + 1)
    try {
      return FAKE_GENERATORS[name](shared, nth)
    } finally {
      current = undefined
    }
  }
}
