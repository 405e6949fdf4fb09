import type { Faker, Randomizer } from '@faker-js/faker'
// Faker's English locale alone: the package's main entry loads every locale (~130 ms and much garbage at startup).
import { faker as english } from '@faker-js/faker/locale/en'

/**
 * Seeded fake data for `${fake.…}`. Each check gets its own Faker seeded from the run seed and the
 * check id, so a check's data is the same whatever order or concurrency it runs in.
 */
export const FAKE_GENERATORS = {
  /** A valid address by any common rule (RFC 5322 dot-atom, the HTML form rule): no leading, trailing or doubled dots. */
  email: (f: Faker) => `${[...f.internet.username().toLowerCase().split(/[^a-z0-9]+/).filter(Boolean), f.string.alphanumeric(6).toLowerCase()].join('.')}@example.com`,
  firstName: (f: Faker) => f.person.firstName(),
  lastName: (f: Faker) => f.person.lastName(),
  /** Digits only (E.164 without '+'), so no binding needs to encode it specially. */
  mobile: (f: Faker) => `1555${f.string.numeric(7)}`,
  userName: (f: Faker) => `${f.internet.username().replace(/[^A-Za-z0-9]/g, '').toLowerCase().slice(0, 12)}${f.string.alphanumeric(6).toLowerCase()}`,
  /** Upper and lower case, a digit and a sign: what the strictest documented rule asks (ECGridOS, api-facts §1.1). */
  password: (f: Faker) => `${f.internet.password({ length: 14 })}9aZ!`,
  uuid: (f: Faker) => f.string.uuid(),
  word: (f: Faker) => f.lorem.word(),
  phone: (f: Faker) => `+44 20 ${f.string.numeric(4)} ${f.string.numeric(4)}`,
  url: (f: Faker) => `https://${f.internet.domainWord()}-${f.string.alphanumeric(4).toLowerCase()}.example.com/`,
  street: (f: Faker) => f.location.streetAddress(),
  city: (f: Faker) => f.location.city(),
  state: (f: Faker) => f.location.state(),
  country: (f: Faker) => f.location.country(),
  postCode: (f: Faker) => f.location.zipCode(),
  jobTitle: (f: Faker) => f.person.jobTitle(),
  culture: (f: Faker) => f.helpers.arrayElement(['en-GB', 'en-US', 'fr-FR', 'de-DE', 'nl-NL', 'es-ES']),
  flag: (f: Faker) => String(f.datatype.boolean()),
  int: (f: Faker) => String(f.number.int({ min: 100, max: 99999 })),
} as const satisfies Record<string, (f: Faker) => string>

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
 * Faker's Mersenne Twister costs ~30 µs to seed each time (624 words of state) where this takes four.
 */
export function sfc32Randomizer(seed: number): Randomizer {
  let a = 0, b = 0, c = 0, d = 0
  const reseed = (s: number | number[]) => {
    let x = (Array.isArray(s) ? s.reduce((h, v) => Math.imul(h ^ v, 0x9e3779b1), 0x6a09e667) : s) | 0
    const split = () => {
      x = (x + 0x9e3779b9) | 0
      let z = x
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
      return (z ^ (z >>> 16)) | 0
    }
    a = split(); b = split(); c = split(); d = 1
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
  return (name) => {
    current = randomizer
    try {
      return FAKE_GENERATORS[name](shared)
    } finally {
      current = undefined
    }
  }
}
