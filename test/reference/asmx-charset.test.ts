/**
 * Request charsets at the wire, as ASMX decodes them: SOAP through GetReaderForMessage (the Content-Type's
 * charset, a byte order mark over it, US-ASCII for text/xml without one, XmlTextReader's own detection for
 * application/soap+xml without one), GET/POST forms through HttpRequest.ContentEncoding (UTF-8 unless the body's
 * Content-Type names a charset .NET knows). Each SOAP case updates the caller's FirstName over ECGridOS and reads it
 * back from the answer; each form case logs in to infoRouter with a user name beyond ASCII.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { charsetByName } from '../../reference/asmx/charset.ts'
import { soapRequestText } from '../../reference/asmx/soap-text.ts'
import { EO_PATH, EO_NS, EcgridClient, eoEnvelope, parseSoap, type SoapVersion } from './ecgrid-helpers.ts'
import { startClient, type RefClient } from './helpers.ts'

let c: RefClient
let ec: EcgridClient
beforeAll(async () => {
  c = await startClient()
  ec = new EcgridClient(c)
})
afterAll(async () => {
  await c.ref.close()
})

const NAME = 'Jürgen Ñandú'
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf])

type Encode = (xml: string) => Buffer
const utf8: Encode = (xml) => Buffer.from(xml, 'utf8')
const latin1: Encode = (xml) => Buffer.from(xml, 'latin1')
const utf16le: Encode = (xml) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')])
const utf16beRaw: Encode = (xml) => Buffer.from(xml, 'utf16le').swap16()
const utf16be: Encode = (xml) => Buffer.concat([Buffer.from([0xfe, 0xff]), utf16beRaw(xml)])
const withBom =
  (encode: Encode): Encode =>
  (xml) =>
    Buffer.concat([UTF8_BOM, encode(xml)])

/** An UserUpdate of the caller's own FirstName, its XML declaration naming `declared` (none: no declaration). */
async function updateFirstName(version: SoapVersion, contentType: string, encode: Encode, declared: string | null = 'utf-8') {
  const user = await ec.provision()
  const session = await ec.login(user)
  const envelope = eoEnvelope(version, 'UserUpdate', { SessionID: session, UserID: String(user.userId), FirstName: NAME })
  const xml = envelope.replace('<?xml version="1.0" encoding="utf-8"?>', declared === null ? '' : `<?xml version="1.0" encoding="${declared}"?>`)
  const headers: Record<string, string> =
    version === '1.1' ? { 'content-type': contentType, soapaction: `"${EO_NS}UserUpdate"` } : { 'content-type': contentType }
  const answer = await c.raw('POST', EO_PATH, { headers, body: encode(xml) })
  const info = await ec.userInfo(session, user.userId)
  return { answer, outcome: parseSoap(answer, 'UserUpdate'), stored: info.FirstName }
}

describe('SOAP requests are decoded by their declared charset', () => {
  test.each<[string, SoapVersion, string, Encode, string | null]>([
    ['UTF-8', '1.1', 'text/xml; charset=utf-8', utf8, 'utf-8'],
    ['UTF-8 with a byte order mark', '1.1', 'text/xml; charset=utf-8', withBom(utf8), 'utf-8'],
    ['UTF-8 named in upper case and quoted', '1.1', 'text/xml; charset="UTF-8"', utf8, 'utf-8'],
    ['UTF-16 little-endian with its byte order mark', '1.1', 'text/xml; charset=utf-16', utf16le, 'utf-16'],
    ['UTF-16 big-endian: the byte order mark overrules charset=utf-16', '1.1', 'text/xml; charset=utf-16', utf16be, 'utf-16'],
    ['UTF-16BE named, without a byte order mark', '1.1', 'text/xml; charset=utf-16BE', utf16beRaw, 'utf-16'],
    ['ISO-8859-1', '1.1', 'text/xml; charset=iso-8859-1', latin1, 'iso-8859-1'],
    ['ISO-8859-1 over SOAP 1.2', '1.2', 'application/soap+xml; charset=ISO-8859-1', latin1, 'iso-8859-1'],
    ['SOAP 1.2 without a charset: the XML declaration names ISO-8859-1', '1.2', 'application/soap+xml', latin1, 'iso-8859-1'],
    ['SOAP 1.2 without a charset: UTF-16 found by its byte order mark', '1.2', 'application/soap+xml', utf16le, 'utf-16'],
    ['SOAP 1.2 without a charset or a declaration: UTF-8', '1.2', 'application/soap+xml', utf8, null],
  ])('%s', async (_name, version, contentType, encode, declared) => {
    const { answer, outcome, stored } = await updateFirstName(version, contentType, encode, declared)
    expect(answer.status, answer.body).toBe(200)
    expect((outcome.result as Record<string, string>).FirstName).toBe(NAME)
    expect(stored).toBe(NAME)
  })

  test('text/xml without a charset is US-ASCII, as ASMX reads it (RFC 3023): every byte beyond ASCII is a ?', async () => {
    const { answer, stored } = await updateFirstName('1.1', 'text/xml', utf8)
    expect(answer.status).toBe(200)
    expect(stored).toBe('J??rgen ??and??')
    // a UTF-8 byte order mark still says UTF-8
    expect((await updateFirstName('1.1', 'text/xml', withBom(utf8))).stored).toBe(NAME)
  })

  test('a charset .NET does not know is no error: text/xml falls back to US-ASCII, application/soap+xml to the XML declaration', async () => {
    const ascii = await updateFirstName('1.1', 'text/xml; charset=x-no-such-charset', utf8)
    expect(ascii.answer.status).toBe(200)
    expect(ascii.stored).toBe('J??rgen ??and??')
    const declared = await updateFirstName('1.2', 'application/soap+xml; charset=x-no-such-charset', latin1, 'iso-8859-1')
    expect(declared.answer.status).toBe(200)
    expect(declared.stored).toBe(NAME)
  })

  test("a charset in the Content-Type wins over the XML declaration's encoding, which ASMX's StreamReader never reads", async () => {
    const { answer, stored } = await updateFirstName('1.1', 'text/xml; charset=utf-8', latin1, 'iso-8859-1')
    expect(answer.status).toBe(200)
    expect(stored).toBe('J\uFFFDrgen \uFFFDand\uFFFD')
  })

  test('an encoding XmlTextReader cannot use is an XmlException: HTTP 400, empty, nothing changes', async () => {
    for (const [encode, declared] of [
      [utf8, 'x-no-such-charset'],
      [utf8, 'utf-16'], // UTF-16 declared without its byte order mark
    ] as const) {
      const { answer, stored } = await updateFirstName('1.2', 'application/soap+xml', encode, declared)
      expect(answer.status).toBe(400)
      expect(answer.body).toBe('')
      expect(stored).toBe('John')
    }
    // strict UTF-8 when nothing names an encoding: a Latin-1 byte is not UTF-8
    const strict = await updateFirstName('1.2', 'application/soap+xml', latin1, null)
    expect(strict.answer.status).toBe(400)
  })
})

describe('soapRequestText (the cases no client sends over the wire tests above)', () => {
  const xml = '<?xml version="1.0"?><a>é</a>'
  test.each<[string, string, Buffer, string | undefined]>([
    ['UTF-32 LE by its byte order mark', 'application/soap+xml', Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), utf32(xml, 'le')]), xml],
    ['UTF-32 BE by the pattern of <', 'application/soap+xml', utf32(xml, 'be'), xml],
    ['UTF-16 LE by the pattern of <, no byte order mark', 'application/soap+xml', Buffer.from(xml, 'utf16le'), xml],
    ['EBCDIC is not read', 'application/soap+xml', Buffer.from([0x4c, 0x6f, 0xa7, 0x94, 0x93]), undefined],
    ['charset=utf-32 named', 'text/xml; charset=utf-32', utf32(xml, 'le'), xml],
    ['an empty charset is none (US-ASCII)', 'text/xml; charset=', Buffer.from(xml), '<?xml version="1.0"?><a>??</a>'],
  ])('%s', (_name, contentType, body, expected) => {
    const text = soapRequestText(body, contentType)
    expect(text.ok ? text.text : undefined).toBe(expected)
  })
})

describe('charsetByName (.NET Encoding.GetEncoding)', () => {
  test.each<[string, number[], string | undefined]>([
    ['ISO-8859-1', [0x41, 0xe9, 0x80], 'Aé\u0080'], // true Latin-1: 0x80 is a C1 control, not WHATWG's windows-1252 €
    ['latin1', [0xfc], 'ü'],
    ['iso-8859-9', [0x41, 0xd0, 0xdd, 0xfe, 0xe9], 'AĞİşé'],
    ['us-ascii', [0x41, 0xc3, 0xbc], 'A??'],
    ['windows-1252', [0x80], '€'],
    ['koi8-r', [0xc1], 'а'],
    ['Shift_JIS', [0x82, 0xa0], 'あ'],
    ['utf-16', [0x41, 0x00], 'A'],
    ['x-no-such-charset', [0x41], undefined],
    ['utf-7', [0x41], undefined], // not served: ASP.NET refuses it for forms (a UTF-7 SOAP body is read as US-ASCII here)
  ])('%s', (name, bytes, expected) => {
    expect(charsetByName(name)?.decode(Uint8Array.from(bytes))).toBe(expected)
  })
})

/** Percent-encodes each character beyond ASCII as its one ISO-8859-1 byte. */
const latin1Escape = (text: string): string => text.replace(/[^\x20-\x7e]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)

function utf32(text: string, order: 'le' | 'be'): Buffer {
  const points = [...text].map((ch) => ch.codePointAt(0) ?? 0)
  const out = Buffer.alloc(points.length * 4)
  points.forEach((p, i) => (order === 'le' ? out.writeUInt32LE(p, i * 4) : out.writeUInt32BE(p, i * 4)))
  return out
}

describe('GET/POST forms are decoded by the request encoding', () => {
  const login = async (body: string | Buffer, contentType: string) => {
    const answer = await c.raw('POST', '/srv.asmx/AuthenticateUser', { headers: { 'content-type': contentType }, body })
    return /success="(\w+)"/.exec(answer.body)?.[1]
  }

  test('charset=iso-8859-1: escaped and raw bytes are Latin-1; without it (or with one .NET does not know) they are UTF-8', async () => {
    const user = await c.provision({ userName: `jürgen${Date.now().toString(36)}`, password: 'pässwörd' })
    const latin1Escaped = `UID=${latin1Escape(user.userName)}&PWD=${latin1Escape(user.password)}`
    expect(latin1Escaped).toContain('%FC')
    expect(await login(latin1Escaped, 'application/x-www-form-urlencoded; charset=iso-8859-1')).toBe('true')
    expect(await login(Buffer.from(`UID=${user.userName}&PWD=${user.password}`, 'latin1'), 'application/x-www-form-urlencoded; charset=ISO-8859-1')).toBe(
      'true',
    )
    // the same bytes read as UTF-8 are not the user's name
    expect(await login(latin1Escaped, 'application/x-www-form-urlencoded')).toBe('false')
    const utf8Escaped = `UID=${encodeURIComponent(user.userName)}&PWD=${encodeURIComponent(user.password)}`
    expect(await login(utf8Escaped, 'application/x-www-form-urlencoded')).toBe('true')
    expect(await login(utf8Escaped, 'application/x-www-form-urlencoded; charset=utf-8')).toBe('true')
    expect(await login(utf8Escaped, 'application/x-www-form-urlencoded; charset=x-no-such-charset')).toBe('true')
    expect(await login(Buffer.from(`UID=${user.userName}&PWD=${user.password}`, 'utf8'), 'application/x-www-form-urlencoded')).toBe('true')
  })

  test('GET reads its query as UTF-8 (a GET has no body, so no charset applies)', async () => {
    const user = await c.provision({ userName: `jürgen${Date.now().toString(36)}g`, password: 'pässwörd' })
    const answer = await c.raw('GET', `/srv.asmx/AuthenticateUser?UID=${encodeURIComponent(user.userName)}&PWD=${encodeURIComponent(user.password)}`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=iso-8859-1' },
    })
    expect(answer.body).toContain('success="true"')
  })
})
