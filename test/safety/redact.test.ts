import { describe, expect, test } from 'vitest'
import { Redactor } from '../../src/redact.ts'

/**
 * The redactor on its own: every form a secret travels in (as the product's encoders and other writers produce it),
 * short secrets as whole values only, and texts without a secret left exactly as they were.
 */

const redactorOf = (...secrets: string[]) => {
  const r = new Redactor()
  for (const s of secrets) r.add(s)
  return r
}

const ISSUE = `Pw&ZZTOP'9731"<x>`
const ENTITIES: Array<[string, string]> = [
  ['&', '&amp;'],
  ['<', '&lt;'],
  ['>', '&gt;'],
  ['"', '&quot;'],
  ["'", '&apos;'],
]

/** `s` with the characters of `escaped` (a subset of & < > " ') written as their entities, the others raw. */
function xmlEscaped(s: string, escaped: ReadonlySet<string>): string {
  return [...s].map((c) => (escaped.has(c) ? ENTITIES.find(([raw]) => raw === c)![1] : c)).join('')
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64')

describe('every form a secret travels in', () => {
  test('XML text and attribute, with ANY subset of the five entities escaped (the others raw)', () => {
    const r = redactorOf(ISSUE)
    for (let mask = 0; mask < 32; mask++) {
      const escaped = new Set(ENTITIES.filter((_, k) => mask & (1 << k)).map(([c]) => c))
      // An XML writer must escape & and < in text; any writer escapes some subset. Every subset is tried.
      const form = xmlEscaped(ISSUE, escaped)
      expect(r.redact(`<sPassword>${form}</sPassword>`), form).toBe('<sPassword>***</sPassword>')
      expect(r.redact(`<a PWD="${form}" b="1"/>`), form).toBe('<a PWD="***" b="1"/>')
    }
  })

  test('character references: decimal and hex, either case of x and of the digits, leading zeros', () => {
    const r = redactorOf(ISSUE)
    for (const apos of ['&#39;', '&#x27;', '&#X27;', '&#039;', '&#0000039;', '&#x0027;']) {
      for (const amp of ['&amp;', '&#38;', '&#x26;', '&AMP;']) {
        const form = ISSUE.replace("'", apos).replace('&', amp).replace('"', '&#x22;').replace('<', '&#X3c;').replace('>', '&#62;')
        expect(r.redact(`<p>${form}</p>`), form).toBe('<p>***</p>')
      }
    }
    // Every character as a reference (astral ones as one reference of their code point).
    const astral = 'pä😀ss-wörd'
    const every = [...astral].map((c) => `&#x${c.codePointAt(0)!.toString(16)};`).join('')
    expect(redactorOf(astral).redact(`<p>${every}</p>`)).toBe('<p>***</p>')
  })

  test('percent-encoding in either hex case, UTF-8 sequences, + or %20 for a space, form data', () => {
    const secret = `${ISSUE} ä😀~!*()`
    const r = redactorOf(secret)
    const upper = encodeURIComponent(secret)
    const lower = upper.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())
    const mixed = upper.replace(/%([0-9A-F])([0-9A-F])/g, (_, a: string, b: string) => `%${a}${b.toLowerCase()}`)
    const form = new URLSearchParams({ p: secret }).toString().slice(2)
    // Every character percent-encoded, letters too (legal, and some encoders do it).
    const everything = [...Buffer.from(secret, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')
    for (const f of [upper, lower, mixed, form, everything, form.replace(/\+/g, '%20')]) {
      expect(r.redact(`/srv.asmx/GetUser?UID=jane&PWD=${f}&x=1`), f).toBe('/srv.asmx/GetUser?UID=jane&PWD=***&x=1')
    }
  })

  test('JSON strings: \\" \\/ \\\\ and \\uXXXX of either case (surrogate pairs too), and JSON within JSON', () => {
    const secret = `${ISSUE}/\\😀`
    const r = redactorOf(secret)
    const json = JSON.stringify(secret)
    const unicode = `"${Array.from({ length: secret.length }, (_, k) => `\\u${secret.charCodeAt(k).toString(16).padStart(4, '0')}`).join('')}"`
    for (const f of [json, json.replace(/\//g, '\\/'), unicode, unicode.toUpperCase().replace(/\\U/g, '\\u')]) {
      expect(r.redact(`{"password":${f},"n":1}`), f).toBe('{"password":"***","n":1}')
    }
    // A message that quotes a JSON answer, then quoted as JSON again.
    const twice = JSON.stringify(`got ${JSON.stringify({ Password: secret })}`)
    expect(r.redact(twice)).toBe(JSON.stringify(`got ${JSON.stringify({ Password: '***' })}`))
  })

  test('escaped twice over: an XML fault quoting an escaped request; a form value in XML; JSON in XML', () => {
    const r = redactorOf(ISSUE)
    const request = `<sPassword>${xmlEscaped(ISSUE, new Set(['&', '<', '>']))}</sPassword>`
    const fault = `<faultstring>bad request: ${xmlEscaped(request, new Set(['&', '<', '>']))}</faultstring>`
    expect(r.redact(fault)).toBe(`<faultstring>bad request: &lt;sPassword&gt;***&lt;/sPassword&gt;</faultstring>`)
    expect(r.redact(`<url>https://x/?PWD=${xmlEscaped(encodeURIComponent(ISSUE), new Set(['&']))}&amp;y=1</url>`)).toBe('<url>https://x/?PWD=***&amp;y=1</url>')
    expect(r.redact(`<detail>${xmlEscaped(JSON.stringify({ p: ISSUE }), new Set(['&', '<', '"']))}</detail>`)).toBe(
      '<detail>{&quot;p&quot;:&quot;***&quot;}</detail>',
    )
  })

  test('HTTP Basic credentials (base64 of user:password), and base64 elsewhere at each alignment: the whole token goes', () => {
    const r = redactorOf(ISSUE)
    expect(r.redact(`Basic ${b64(`jane:${ISSUE}`)}`)).toBe('Basic ***')
    expect(r.redactValue({ authorization: `basic ${b64(`j:${ISSUE}`)}` })).toEqual({ authorization: 'basic ***' })
    for (const before of ['', 'a', 'ab', 'abc']) {
      const token = b64(`${before}${ISSUE}and more bytes after it`)
      expect(r.redact(`blob ${token} end`), before).toBe('blob *** end')
    }
  })

  test('a secret that itself looks escaped is found as it is and encoded', () => {
    const secret = 'p%41ss&amp;w\\u0041rd'
    const r = redactorOf(secret)
    expect(r.redact(`a ${secret} b`)).toBe('a *** b')
    expect(r.redact(`PWD=${encodeURIComponent(secret)}&x`)).toBe('PWD=***&x')
    expect(r.redact(`<p>${xmlEscaped(secret, new Set(['&']))}</p>`)).toBe('<p>***</p>')
    expect(r.redact(JSON.stringify({ p: secret }))).toBe('{"p":"***"}')
  })

  test('secrets beyond Latin-1; text that only shares their low bytes stays', () => {
    const r = redactorOf('ĀbcdŁ', 'pässwörd')
    // '\u0000bcd' has the low bytes of 'Ābcd' (U+0100 → 0x00): the byte scan collides there, the look finds no secret.
    expect(r.redact('\u0000bcdA and ĀbcdŁ and p\u00e4sswörd and p\u01e4sswörd')).toBe('\u0000bcdA and *** and *** and p\u01e4sswörd')
  })
})

describe('short secrets (1 to 3 characters) go where they stand as a whole value', () => {
  test('whole values: XML text and attribute, form and query values, JSON strings, Basic, a header, the whole text', () => {
    for (const secret of ['a', 'ab', 'x&y', '😀', "'", ',']) {
      const r = redactorOf(secret)
      const enc = encodeURIComponent(secret)
      const xml = xmlEscaped(secret, new Set(['&', '<', '>', '"', "'"]))
      expect(r.redact(`<PWD>${xml}</PWD>`), secret).toBe('<PWD>***</PWD>')
      expect(r.redact(`<u PWD="${xml}"/>`), secret).toBe('<u PWD="***"/>')
      expect(r.redact(`UID=jane&PWD=${enc}&x=1`), secret).toBe('UID=jane&PWD=***&x=1')
      expect(r.redact(`/srv.asmx/AuthenticateUser?UID=jane&PWD=${enc}`), secret).toBe('/srv.asmx/AuthenticateUser?UID=jane&PWD=***')
      expect(r.redact(JSON.stringify({ password: secret, n: 1 })), secret).toBe('{"password":"***","n":1}')
      expect(r.redact(`Basic ${b64(`jane:${secret}`)}`), secret).toBe('Basic ***')
      expect(r.redact(secret), secret).toBe('***')
      expect(r.redactValue({ 'x-api-key': secret }), secret).toEqual({ 'x-api-key': '***' })
    }
  })

  test('one made only of punctuation goes as a value; the same characters shaping the text may go too (never a leak)', () => {
    for (const secret of ['{', '":', ']]']) {
      const r = redactorOf(secret)
      expect(r.redact(JSON.stringify({ password: secret, n: 1 })), secret).toContain('"password":"***"')
      expect(r.redact(`<PWD>${xmlEscaped(secret, new Set(['<', '>', '&']))}</PWD>`), secret).toBe('<PWD>***</PWD>')
    }
  })

  test('not inside words and prose: "a" and "ab" leave a report readable', () => {
    const r = redactorOf('a', 'ab', 'on', ',')
    const prose = 'A check about a user: expected an email, got another one (see above). Status: done'
    expect(r.redact(prose)).toBe(prose)
    // A comma between a closing and an opening quote is no value.
    expect(r.redact('{"x":"y","on":"z"}')).toBe('{"x":"y","on":"z"}')
    expect(r.redact('<response success="true" error="" about="ab c"/>')).toBe('<response success="true" error="" about="ab c"/>')
  })
})

describe('what the redactor leaves alone', () => {
  test('texts without a secret stay exactly as they were, escapes and all', () => {
    const r = redactorOf(ISSUE, 'hunter2-long', 'a')
    for (const text of [
      '<p a="x &amp; y &#39;z&#x27;">&lt;b&gt; &quot;q&quot;</p>',
      'UID=jane%20doe&PWD=%2A%2a&q=a+b',
      '{"a":"\\"quoted\\" \\u00e9 \\/ \\\\","b":null}',
      'Authorization: Basic amFuZTpvdGhlcg==',
      'http://127.0.0.1:8080/srv.asmx/GetUser?authenticationTicket=***&UserName=jane%20doe',
    ])
      expect(r.redact(text)).toBe(text)
  })

  test('overlapping secrets go together; adjacent ones each go', () => {
    const r = redactorOf('abcdef', 'defghi')
    expect(r.redact('x abcdefghi y')).toBe('x *** y')
    expect(r.redact('abcdefdefghi')).toBe('******')
  })
})

// The scan against a plain definition: every occurrence of every secret (short ones at whole-value positions only),
// overlapping ones joined. Latin-1 text, and text whose characters share their low byte (U+0100 reads as NUL).
describe.each([
  ['Latin-1', 'abcd<>=":', 7],
  ['beyond Latin-1', 'ab\u0000\u0100\u0161a\u2603=', 11],
])('the same as a plain search for every secret (%s)', (_, alphabet, start) => {
  const LEFT = new Set(['>', '=', ':'])
  const OPENS = new Set(['=', ':', '[', '(', '{', ' ', '\t', '\r', '\n'])
  // A quote opens a value after the start or one of OPENS; after anything else it closes one.
  const left = (text: string, i: number) => i === 0 || LEFT.has(text[i - 1]!) || (`"'`.includes(text[i - 1]!) && (i === 1 || OPENS.has(text[i - 2]!)))
  const RIGHT = new Set(['<', '"', "'", '&', ';', ',', ')', ']', '}', '\r', '\n'])
  // A JSON key ("a":) is not a value.
  const key = (text: string, end: number) => /^"\s*:/.test(text.slice(end))
  const plain = (secrets: string[], text: string) => {
    const spans: Array<[number, number]> = []
    for (const s of secrets) {
      for (let i = text.indexOf(s); i >= 0; i = text.indexOf(s, i + 1)) {
        const whole = left(text, i) && (i + s.length === text.length || RIGHT.has(text[i + s.length]!)) && !key(text, i + s.length)
        if (s.length >= 4 || whole) spans.push([i, i + s.length])
      }
    }
    spans.sort((x, y) => x[0] - y[0] || y[1] - x[1])
    let out = ''
    let done = 0
    for (const [s, e] of spans) {
      if (e <= done) continue
      if (s >= done) out += `${text.slice(done, s)}***`
      done = e
    }
    return out + text.slice(done)
  }
  test('200 random rounds', () => {
    let seed = start
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n
    const word = (min: number, max: number) => Array.from({ length: min + rnd(max - min + 1) }, () => alphabet[rnd(alphabet.length)]).join('')
    for (let round = 0; round < 200; round++) {
      const secrets = Array.from({ length: 1 + rnd(6) }, () => word(2, 7))
      const r = redactorOf(...secrets)
      const text = Array.from({ length: 8 }, () => (rnd(3) ? word(0, 5) : secrets[rnd(secrets.length)]!)).join('')
      expect(r.redact(text), `${JSON.stringify(secrets)} in ${JSON.stringify(text)}`).toBe(plain(secrets, text))
    }
  })
})

describe('a redactor that grows from a few secrets to many', () => {
  test('finds every secret given, before and after its bitmap grows', () => {
    const r = new Redactor()
    // Each begins differently (the bitmap is of forms' first four characters).
    const secrets = Array.from({ length: 300 }, (_, i) => `${(46_656 + i * 7919).toString(36)}-secret-${i}`)
    for (const [i, s] of secrets.entries()) {
      r.add(s)
      // Each secret, and the first one, are found at every size the redactor passes through.
      expect(r.redact(`a ${s} b`)).toBe('a *** b')
      expect(r.redact(`<x>${secrets[0]}</x>`), `after ${i + 1} secrets`).toBe('<x>***</x>')
    }
    expect(r.redact(secrets.join(' '))).toBe(secrets.map(() => '***').join(' '))
  })
})
