import { beforeAll, describe, expect, test } from 'vitest'
import { ReferenceConfigError, listDeviations, listVariations, startReference } from '../../reference/index.ts'
import { EMBEDDED_APIS } from '../../reference/registry.ts'
import { parseDoc, writeDoc } from '../../reference/variations/xml-doc.ts'
import { meaning, without, type XmlMeaning } from './variations-meaning.ts'
import { runProbes, type Probe, type Probes } from './variations-probes.ts'

/**
 * Each variation against the plain reference, over real HTTP: the same fixed scenario (same users, clock and
 * requests) run on both. A variation must change the wire as it says, and nothing else: probes it does not
 * concern come back byte for byte, and a variation of spelling keeps every answer's meaning.
 */
const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/'
const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope'

type Check = (plain: Probes, varied: Probes) => void

const names = (probes: Probes): string[] => Object.keys(probes)
const isSoap = (p: Probe): boolean => /^(\uFEFF)?(<\?xml[^>]*\?>)?\s*<[\w-]*:?Envelope/.test(p.body)
const soapProbes = (probes: Probes): string[] => names(probes).filter((n) => isSoap(probes[n]!))
const faultProbes = (probes: Probes): string[] => soapProbes(probes).filter((n) => /<(\w+:)?Fault>/.test(probes[n]!.body))
const restProbes = (probes: Probes): string[] => names(probes).filter((n) => n.startsWith('er-'))
const json = (p: Probe): Record<string, unknown> => JSON.parse(p.body) as Record<string, unknown>
const data = (p: Probe): Record<string, unknown> => json(p).data as Record<string, unknown>

/** The probes not named come back byte for byte, with the same status and headers that matter. */
function untouchedBut(plain: Probes, varied: Probes, changed: readonly string[]): void {
  for (const name of names(plain).filter((n) => !changed.includes(n))) {
    expect(varied[name]!.status, name).toBe(plain[name]!.status)
    expect(varied[name]!.headers['content-type'], name).toBe(plain[name]!.headers['content-type'])
    expect(varied[name]!.body, name).toBe(plain[name]!.body)
  }
}

/**
 * Every probe means the same (`normalise` takes out what the variation adds on purpose); of the `concerned`
 * probes at least one is spelled differently, the others come back byte for byte.
 */
function sameMeaning(plain: Probes, varied: Probes, concerned: readonly string[], normalise: (m: XmlMeaning) => XmlMeaning = (m) => m): void {
  for (const name of names(plain)) {
    const [p, v] = [meaning(plain[name]!), meaning(varied[name]!)]
    const norm = (body: unknown): unknown =>
      typeof body === 'object' && body !== null && 'name' in body && 'attrs' in body ? normalise(body as XmlMeaning) : body
    expect({ ...v, body: norm(v.body) }, name).toEqual({ ...p, body: norm(p.body) })
  }
  expect(concerned.filter((name) => varied[name]!.body !== plain[name]!.body).length, 'probes spelled differently').toBeGreaterThan(0)
  untouchedBut(plain, varied, concerned)
}

/** A spelling variation over SOAP answers only. */
const soapSpelling =
  (check: (body: string, name: string) => void, normalise?: (m: XmlMeaning) => XmlMeaning): Check =>
  (plain, varied) => {
    const soap = soapProbes(plain)
    sameMeaning(plain, varied, soap, normalise)
    for (const name of soap) check(varied[name]!.body, name)
  }

/** The XML answers of the ASMX services other than the WSDL (SOAP and GET/POST). */
const xmlAnswers = (probes: Probes): string[] => names(probes).filter((n) => !n.endsWith('-wsdl') && /xml/.test(String(probes[n]!.headers['content-type'])))

const xmlSpelling =
  (check: (body: string, name: string) => void): Check =>
  (plain, varied) => {
    const xml = xmlAnswers(plain)
    sameMeaning(plain, varied, xml)
    for (const name of xml) check(varied[name]!.body, name)
  }

const prefixed = (prefix: string): Check =>
  soapSpelling((body, name) => {
    expect(body, name).toMatch(new RegExp(`<${prefix}:Envelope xmlns:${prefix}="`))
    expect(body, name).not.toMatch(/<\/?soap:/)
    if (name === 'ir-fault-soap11') expect(body).toContain(`<faultcode>${prefix}:Client</faultcode>`)
    if (name === 'ir-fault-soap12') expect(body).toContain(`<${prefix}:Value>${prefix}:Sender</${prefix}:Value>`)
  })

/** Whose http headers, not bytes, changed: every API answer comes back with the same bytes. */
const framing =
  (check: (probe: Probe, name: string) => void): Check =>
  (plain, varied) => {
    for (const name of names(plain)) {
      expect(varied[name]!.bytes.equals(plain[name]!.bytes), name).toBe(true)
      expect(varied[name]!.status, name).toBe(plain[name]!.status)
      check(varied[name]!, name)
    }
  }

const contentTypes =
  (expected: (plainType: string) => string): Check =>
  (plain, varied) => {
    for (const name of names(plain)) {
      const type = String(plain[name]!.headers['content-type'])
      const concerned = /xml|json/.test(type)
      expect(varied[name]!.headers['content-type'], name).toBe(concerned ? expected(type) : type)
      expect(varied[name]!.body, name).toBe(plain[name]!.body)
    }
  }

const dropNamed = (locals: readonly string[]) => (m: XmlMeaning) => without(m, (n) => locals.some((l) => n.endsWith(`}${l}`)))
const local = (m: XmlMeaning | string | undefined): string => (typeof m === 'object' ? m.name.replace(/^\{[^}]*\}/, '') : '')

/** The error attribute of infoRouter's answer in a probe. */
const irError = (p: Probe): string => /error="([^"]*)"/.exec(p.body)?.[1] ?? ''
const faultstring = (p: Probe): string => /<(?:faultstring|soap:Text[^>]*)>([^<]*)</.exec(p.body)?.[1] ?? ''

const CHECKS: Record<string, Check> = {
  'soap-prefix-s': prefixed('s'),
  'soap-prefix-soap-env': prefixed('SOAP-ENV'),
  'soap-prefix-env': prefixed('env'),
  'soap-default-namespace': soapSpelling((body, name) => {
    expect(body, name).toMatch(/<Envelope xmlns="http:\/\/[^"]+" xmlns:soap=/)
    if (name === 'ir-fault-soap11') expect(body).toContain('<Fault><faultcode xmlns="">soap:Client</faultcode><faultstring xmlns="">')
    if (name === 'eo-fault-soap12') expect(body).toContain('<Detail><ECGridOSSOAPErrorCode xmlns="">Authentication</ECGridOSSOAPErrorCode></Detail>')
  }),
  'soap-body-prefixed': (plain, varied) => {
    sameMeaning(plain, varied, soapProbes(plain))
    expect(varied['eo-user-info-soap11']!.body).toContain('<m:UserInfoResponse xmlns:m="http://www.ecgridos.net/"><m:UserInfoResult><m:UserID>5001</m:UserID>')
    expect(varied['ir-get-user-soap12']!.body).toContain('<m:GetUserResult><response success="true"')
  },
  'soap-unused-declarations-dropped': soapSpelling((body, name) => expect(body, name).not.toMatch(/xmlns:xs[id]=/)),
  'xml-redundant-declarations': (plain, varied) => {
    sameMeaning(plain, varied, xmlAnswers(plain))
    expect(varied['ir-get-user-get']!.body).toMatch(/<response xmlns:xsi="[^"]+" xmlns:xsd="[^"]+" xmlns:unused="[^"]+" success="true"/)
    expect(varied['eo-user-info-soap11']!.body).toContain(
      '<UserInfoResponse xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns="http://www.ecgridos.net/">',
    )
  },
  'soap-empty-header': soapSpelling((body, name) => expect(body, name).toMatch(/<soap:Header \/><soap:Body>/), dropNamed(['Header'])),
  'soap-extra-header-block': soapSpelling(
    (body, name) =>
      expect(body, name).toMatch(
        /<soap:Header>(<soap12:Upgrade .*<\/soap12:Upgrade>)?<ref:ServerInfo xmlns:ref="urn:conform-reference:info"><ref:Node>reference-1<\/ref:Node><\/ref:ServerInfo><\/soap:Header><soap:Body>/,
      ),
    dropNamed(['Header']),
  ),
  'soap12-reason-two-languages': (plain, varied) => {
    const changed = ['ir-fault-soap12', 'eo-fault-soap12', 'lm-fault-soap12']
    for (const name of changed) {
      expect(varied[name]!.body, name).toBe(
        plain[name]!.body.replace('<soap:Reason>', '<soap:Reason><soap:Text xml:lang="de">Die Anfrage konnte nicht verarbeitet werden.</soap:Text>'),
      )
    }
    untouchedBut(plain, varied, changed)
  },
  'xml-comments': (plain, varied) => {
    sameMeaning(plain, varied, xmlAnswers(plain))
    expect(varied['eo-user-info-soap11']!.body).toMatch(
      /^<\?xml [^>]+\?><!-- served by the conform reference --><soap:Envelope [^>]+><!-- conform reference --><soap:Body><!-- conform reference -->/,
    )
    expect(varied['eo-user-info-soap11']!.body).toContain('<UserInfoResult><!-- conform reference --><UserID>5001</UserID>')
  },
  'soap-fault-code-own-prefix': (plain, varied) => {
    sameMeaning(plain, varied, faultProbes(plain))
    expect(varied['ir-fault-soap11']!.body).toContain(`<faultcode xmlns:fc="${SOAP11}">fc:Client</faultcode>`)
    expect(varied['lm-fault-soap12']!.body).toContain(`<soap:Value xmlns:fc="${SOAP12}">fc:Receiver</soap:Value>`)
  },
  'soap-fault-optional-parts': (plain, varied) => {
    sameMeaning(plain, varied, faultProbes(plain), dropNamed(['faultactor', 'Subcode', 'Role']))
    expect(varied['ir-fault-soap11']!.body).toMatch(/<\/faultstring><faultactor>urn:conform-reference:service<\/faultactor><detail \/>/)
    expect(varied['eo-fault-soap12']!.body).toMatch(
      /<\/soap:Value><soap:Subcode><soap:Value xmlns:sub="[^"]+">sub:Rejected<\/soap:Value><\/soap:Subcode><\/soap:Code>/,
    )
    expect(varied['eo-fault-soap12']!.body).toContain(
      '</soap:Reason><soap:Role>http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver</soap:Role><soap:Detail>',
    )
  },
  'soap12-empty-detail-omitted': (plain, varied) => {
    const changed = ['ir-fault-soap12', 'lm-fault-soap12']
    for (const name of changed) {
      expect(plain[name]!.body, name).toContain('<soap:Detail />')
      expect(varied[name]!.body, name).toBe(plain[name]!.body.replace('<soap:Detail />', ''))
    }
    untouchedBut(plain, varied, changed)
  },
  'soap12-reason-lang-en-us': (plain, varied) => {
    const changed = ['ir-fault-soap12', 'eo-fault-soap12', 'lm-fault-soap12']
    for (const name of changed) expect(varied[name]!.body, name).toBe(plain[name]!.body.replace('xml:lang="en"', 'xml:lang="en-US"'))
    untouchedBut(plain, varied, changed)
  },
  'xml-no-declaration': xmlSpelling((body, name) => expect(body, name).toMatch(/^<[\w:]+ /)),
  'xml-declaration-spelling': xmlSpelling((body, name) => expect(body, name).toMatch(/^<\?xml version='1.0' encoding='UTF-8' standalone='yes'\?>/)),
  'xml-indented-crlf': (plain, varied) => {
    xmlSpelling((body, name) => expect(body.replace(/\r\n/g, ''), name).not.toContain('\n'))(plain, varied)
    expect(varied['ir-get-user-get']!.body).toContain('<response success="true" error="">\r\n\t<User ')
    expect(varied['eo-user-info-soap11']!.body).toContain('\r\n\t\t\t\t<UserID>5001</UserID>\r\n')
  },
  'xml-compact': (plain, varied) => {
    const changed = ['ir-get-user-get', 'ir-get-user-post', 'ir-malformed-ticket-get']
    sameMeaning(plain, varied, changed)
    for (const name of changed) expect(varied[name]!.body.split('\n'), name).toHaveLength(2)
  },
  'xml-attributes-reversed': (plain, varied) => {
    sameMeaning(plain, varied, xmlAnswers(plain))
    expect(varied['ir-get-user-get']!.body).toContain('<response error="" success="true">')
    expect(varied['eo-user-info-soap11']!.body).toMatch(/<soap:Envelope xmlns:xsd="[^"]+" xmlns:xsi="[^"]+" xmlns:soap=/)
  },
  'xml-single-quoted-attributes': (plain, varied) => {
    sameMeaning(plain, varied, xmlAnswers(plain))
    expect(varied['ir-get-user-get']!.body).toContain("<response success='true' error=''>")
    expect(varied['ir-get-user-get']!.body).toContain("LastName='O&apos;Hara'")
  },
  'xml-decimal-char-refs': (plain, varied) => {
    sameMeaning(plain, varied, xmlAnswers(plain))
    expect(varied['eo-user-info-soap11']!.body).toContain('<Login>&#101;&#99;&#106;&#97;&#110;&#101;</Login>')
  },
  'xml-hex-char-refs-in-attributes': (plain, varied) => {
    sameMeaning(plain, varied, xmlAnswers(plain))
    expect(varied['ir-get-user-get']!.body).toContain('success="&#x74;&#x72;&#x75;&#x65;"')
  },
  'xml-cdata-text': (plain, varied) => {
    sameMeaning(plain, varied, soapProbes(plain))
    expect(varied['eo-user-info-soap11']!.body).toContain('<UserID><![CDATA[5001]]></UserID>')
    expect(varied['ir-fault-soap11']!.body).toMatch(/<faultstring><!\[CDATA\[Server did not recognize/)
  },
  'xml-empty-element-pairs': (plain, varied) => {
    sameMeaning(plain, varied, xmlAnswers(plain))
    expect(varied['ir-fault-soap11']!.body).toContain('<detail></detail>')
    expect(varied['lm-list-soap11']!.body).toContain('<Password></Password>')
  },
  'http-chunked': framing((p, name) => {
    expect(p.headers['transfer-encoding'], name).toBe('chunked')
    expect(p.headers['content-length'], name).toBeUndefined()
  }),
  'http-connection-close': framing((p, name) => expect(p.headers.connection, name).toBe('close')),
  'http-reason-phrase': framing((p, name) => expect(p.reason, name).toBe(p.status < 400 ? 'Done' : 'Fault')),
  'http-extra-headers': framing((p, name) => {
    expect(p.headers.server, name).toBe('Microsoft-IIS/10.0')
    expect(p.headers['x-powered-by'], name).toBe('ASP.NET')
  }),
  'xml-utf8-bom': (plain, varied) => {
    for (const name of names(plain)) {
      const xml = /xml/.test(String(plain[name]!.headers['content-type']))
      const expected = xml ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), plain[name]!.bytes]) : plain[name]!.bytes
      expect(varied[name]!.bytes.equals(expected), name).toBe(true)
    }
  },
  'charset-upper-case': contentTypes((type) => type.replace('charset=utf-8', 'charset=UTF-8')),
  'charset-omitted': contentTypes((type) => type.split(';')[0]!),
  'charset-quoted-no-space': contentTypes((type) => type.replace('; charset=utf-8', ';charset="utf-8"')),
  'ir-error-wording': (plain, varied) => {
    expect(irError(plain['ir-unknown-ticket-soap11']!)).toBe('[901] Session expired or Invalid ticket')
    expect(irError(varied['ir-unknown-ticket-soap11']!)).toBe('[901] The ticket has expired or is not valid.')
    expect(irError(varied['ir-malformed-ticket-get']!)).toBe('[900] Invalid or missing authentication ticket.')
    untouchedBut(plain, varied, ['ir-unknown-ticket-soap11', 'ir-malformed-ticket-get'])
  },
  'ir-error-code-unspaced': (plain, varied) => {
    expect(irError(varied['ir-unknown-ticket-soap11']!)).toBe('[901]Session expired or invalid ticket')
    expect(irError(varied['ir-malformed-ticket-get']!)).toBe('[900]Authentication failed')
    untouchedBut(plain, varied, ['ir-unknown-ticket-soap11', 'ir-malformed-ticket-get'])
  },
  'ir-dates-with-time': (plain, varied) => {
    const changed = ['ir-get-user-get', 'ir-get-user-post', 'ir-get-user-soap12']
    for (const name of changed) {
      expect(plain[name]!.body, name).toContain('LastLogonDate="2024-01-15" LastPasswordChangeDate="2024-01-15"')
      expect(varied[name]!.body, name).toBe(
        plain[name]!.body.replace(
          'LastLogonDate="2024-01-15" LastPasswordChangeDate="2024-01-15"',
          'LastLogonDate="2024-01-15 09:30:00" LastPasswordChangeDate="2024-01-15 09:30:00"',
        ),
      )
    }
    untouchedBut(plain, varied, changed)
  },
  'ir-ticket-upper-case': (plain, varied) => {
    const ticket = (p: Probe): string => /ticket="([^"]+)"/.exec(p.body)?.[1] ?? ''
    expect(ticket(plain['ir-login']!)).toMatch(/^[0-9a-f-]{36}$/)
    expect(ticket(varied['ir-login']!)).toMatch(/^[0-9A-F-]{36}$/)
    expect(varied['ir-get-user-get']!.body).toContain('<response success="true"')
    untouchedBut(plain, varied, ['ir-login'])
  },
  'ir-extra-attributes': (plain, varied) => {
    expect(varied['ir-get-user-get']!.body).toMatch(/<response success="true" error="" serverVersion="8.5.1">/)
    expect(varied['ir-get-user-soap12']!.body).toMatch(/<User exists="true" [^>]* Culture="en-US" PasswordNeverExpires="FALSE">/)
    const changed = names(plain).filter((n) => n.startsWith('ir-') && !['ir-fault-soap11', 'ir-fault-soap12', 'ir-missing-parameter', 'ir-wsdl'].includes(n))
    for (const name of changed) expect(varied[name]!.body, name).not.toBe(plain[name]!.body)
    untouchedBut(plain, varied, changed)
  },
  'eo-extra-fields': (plain, varied) => {
    expect(varied['eo-user-info-soap11']!.body).toMatch(
      /<Created>([^<]+)<\/Created><Company \/><Phone \/><TimeZoneOffset>0<\/TimeZoneOffset><Modified>\1<\/Modified><LockedOut>false<\/LockedOut><OpenSessions>1<\/OpenSessions><\/UserInfoResult>/,
    )
    untouchedBut(plain, varied, ['eo-user-info-soap11', 'eo-user-update-soap12', 'eo-strict-email'])
  },
  'eo-fault-wording': (plain, varied) => {
    expect(faultstring(plain['eo-fault-soap11']!)).toBe('Invalid SessionID')
    expect(faultstring(varied['eo-fault-soap11']!)).toBe('The SessionID is not valid or has expired.')
    expect(faultstring(varied['eo-unknown-user-bad-email']!)).toBe('The user does not exist.')
    const changed = ['eo-fault-soap11', 'eo-fault-soap12', 'eo-unknown-user-bad-email']
    for (const name of changed) expect(varied[name]!.body.replace(faultstring(varied[name]!), faultstring(plain[name]!)), name).toBe(plain[name]!.body)
    untouchedBut(plain, varied, changed)
  },
  'eo-fault-detail-extra': (plain, varied) => {
    expect(varied['eo-fault-soap11']!.body).toContain(
      '<detail><ECGridOSSOAPErrorCode>Authentication</ECGridOSSOAPErrorCode><ErrorString>Invalid SessionID</ErrorString><ErrorMessage>Authentication</ErrorMessage></detail>',
    )
    untouchedBut(plain, varied, ['eo-fault-soap11', 'eo-fault-soap12', 'eo-unknown-user-bad-email'])
  },
  'eo-int-spellings': (plain, varied) => {
    expect(varied['eo-user-info-soap11']!.body).toContain('<UserID>+0005001</UserID>')
    expect(varied['eo-user-info-soap11']!.body).toMatch(/<NetworkID>\+000\d+<\/NetworkID><MailboxID>\+000\d+<\/MailboxID>/)
    untouchedBut(plain, varied, ['eo-user-info-soap11', 'eo-user-update-soap12', 'eo-strict-email'])
  },
  'eo-boolean-digits': (plain, varied) => {
    expect(plain['eo-logout-soap11']!.body).toContain('<LogoutResult>true</LogoutResult>')
    expect(varied['eo-logout-soap11']!.body).toBe(plain['eo-logout-soap11']!.body.replace('<LogoutResult>true<', '<LogoutResult>1<'))
    untouchedBut(plain, varied, ['eo-logout-soap11'])
  },
  'eo-created-zoned': (plain, varied) => {
    const created = /<Created>([^<]+)</.exec(plain['eo-user-info-soap11']!.body)![1]!
    expect(created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(varied['eo-user-info-soap11']!.body).toContain(`<Created>${created.slice(0, 19)}.0000000Z</Created>`)
    untouchedBut(plain, varied, ['eo-user-info-soap11', 'eo-user-update-soap12', 'eo-strict-email'])
  },
  'eo-created-unzoned': (plain, varied) => {
    const created = /<Created>([^<]+)</.exec(plain['eo-user-info-soap11']!.body)![1]!
    expect(created).toMatch(/Z$/)
    expect(varied['eo-user-info-soap11']!.body).toContain(`<Created>${created.slice(0, 19)}</Created>`)
    untouchedBut(plain, varied, ['eo-user-info-soap11', 'eo-user-update-soap12', 'eo-strict-email'])
  },
  'eo-session-upper-case': (plain, varied) => {
    const session = (p: Probe): string => /<LoginResult>([^<]+)</.exec(p.body)?.[1] ?? ''
    expect(session(plain['eo-login']!)).toMatch(/^[0-9a-f-]{36}$/)
    expect(session(varied['eo-login']!)).toMatch(/^[0-9A-F-]{36}$/)
    expect(varied['eo-user-info-soap11']!.body).toContain('<UserInfoResult>')
    untouchedBut(plain, varied, ['eo-login'])
  },
  'eo-validation-order': (plain, varied) => {
    expect(plain['eo-unknown-user-bad-email']!.body).toContain('<ECGridOSSOAPErrorCode>ObjectNotFound<')
    expect(varied['eo-unknown-user-bad-email']!.body).toContain('<ECGridOSSOAPErrorCode>InvalidParameter<')
    untouchedBut(plain, varied, ['eo-unknown-user-bad-email'])
  },
  'strict-email': (plain, varied) => {
    expect(plain['er-put-strict-email']!.status).toBe(200)
    expect(varied['er-put-strict-email']!.status).toBe(400)
    expect(json(varied['er-put-strict-email']!).errorCode).toBe('InvalidParameter')
    expect(plain['eo-strict-email']!.body).toContain('<UserUpdateResult>')
    expect(varied['eo-strict-email']!.body).toContain('<ECGridOSSOAPErrorCode>InvalidParameter<')
    untouchedBut(plain, varied, ['er-put-strict-email', 'eo-strict-email'])
  },
  'er-extra-fields': (plain, varied) => {
    expect(data(varied['er-get']!)).toEqual({
      ...data(plain['er-get']!),
      company: '',
      phone: '',
      timeZoneOffset: 0,
      lockoutStatus: false,
      lastLogin: null,
      openSessions: 0,
      modified: data(plain['er-get']!).created,
    })
    untouchedBut(plain, varied, ['er-get', 'er-put-ok', 'er-put-mass-assignment', 'er-get-after', 'er-put-strict-email'])
  },
  'er-success-error-fields-empty': (plain, varied) => {
    expect(json(varied['er-get']!)).toEqual({ ...json(plain['er-get']!), errorCode: '', message: '' })
    expect(varied['er-put-bad-email']!.body).toBe(plain['er-put-bad-email']!.body)
  },
  'er-success-error-fields-null': (plain, varied) => {
    expect(json(varied['er-put-ok']!)).toEqual({ ...json(plain['er-put-ok']!), errorCode: null, message: null })
    expect(varied['er-missing-key']!.body).toBe(plain['er-missing-key']!.body)
  },
  'er-envelope-extra-fields': (plain, varied) => {
    for (const name of restProbes(plain)) {
      expect(varied[name]!.status, name).toBe(plain[name]!.status)
      expect(json(varied[name]!), name).toEqual({ ...json(plain[name]!), traceId: expect.any(String), timestamp: '2024-01-15T09:30:00Z' })
    }
    untouchedBut(plain, varied, restProbes(plain))
  },
  'er-www-authenticate': (plain, varied) => {
    expect(varied['er-missing-key']!.status).toBe(401)
    expect(varied['er-missing-key']!.headers['www-authenticate']).toBe('ApiKey header="X-API-Key"')
    expect(plain['er-missing-key']!.headers['www-authenticate']).toBeUndefined()
    expect(varied['er-get']!.headers['www-authenticate']).toBeUndefined()
    untouchedBut(plain, varied, [])
  },
  'er-message-wording': (plain, varied) => {
    const changed = ['er-put-bad-email', 'er-put-wrong-content-type', 'er-put-unknown-user-bad-email', 'er-missing-key']
    for (const name of changed) {
      expect(varied[name]!.status, name).toBe(plain[name]!.status)
      expect({ ...json(varied[name]!), message: '' }, name).toEqual({ ...json(plain[name]!), message: '' })
      expect(json(varied[name]!).message, name).not.toBe(json(plain[name]!).message)
    }
    untouchedBut(plain, varied, changed)
  },
  'er-created-offset': (plain, varied) => {
    expect(data(varied['er-get']!).created).toBe(String(data(plain['er-get']!).created).replace('Z', '.000+00:00'))
    expect(Date.parse(data(varied['er-get']!).created as string)).toBe(Date.parse(data(plain['er-get']!).created as string))
    untouchedBut(plain, varied, ['er-get', 'er-put-ok', 'er-put-mass-assignment', 'er-get-after', 'er-put-strict-email'])
  },
  'er-json-key-order': (plain, varied) => {
    sameMeaning(plain, varied, restProbes(plain))
    expect(varied['er-get']!.body).toMatch(/^\{"data":\{"created":/)
  },
  'er-json-whitespace': (plain, varied) => {
    sameMeaning(plain, varied, restProbes(plain))
    expect(varied['er-get']!.body).toMatch(/^\{\r\n\t"success": true,\r\n\t"data": \{\r\n\t\t"userId": 5001,/)
  },
  'er-json-unicode-escapes': (plain, varied) => {
    sameMeaning(plain, varied, restProbes(plain))
    expect(varied['er-get']!.body).toMatch(/^\{"\\u0073\\u0075\\u0063\\u0063\\u0065\\u0073\\u0073":true/)
  },
  'er-number-exponents': (plain, varied) => {
    sameMeaning(plain, varied, restProbes(plain))
    expect(varied['er-get']!.body).toContain('"userId":5.001e+3')
  },
  'er-wrong-content-type-415': (plain, varied) => {
    expect(plain['er-put-wrong-content-type']!.status).toBe(400)
    expect(varied['er-put-wrong-content-type']!.status).toBe(415)
    expect(json(varied['er-put-wrong-content-type']!)).toMatchObject({ success: false, data: null, errorCode: 'InvalidParameter' })
    untouchedBut(plain, varied, ['er-put-wrong-content-type'])
  },
  'er-refuses-unupdatable-fields': (plain, varied) => {
    expect(plain['er-put-mass-assignment']!.status).toBe(200)
    expect(varied['er-put-mass-assignment']!.status).toBe(400)
    expect(json(varied['er-put-mass-assignment']!)).toMatchObject({ success: false, data: null, errorCode: 'InvalidParameter' })
    expect(json(varied['er-put-mass-assignment']!).message).toContain('authLevel')
    untouchedBut(plain, varied, ['er-put-mass-assignment'])
  },
  'er-validation-order': (plain, varied) => {
    expect(plain['er-put-unknown-user-bad-email']!.status).toBe(404)
    expect(varied['er-put-unknown-user-bad-email']!.status).toBe(400)
    untouchedBut(plain, varied, ['er-put-unknown-user-bad-email'])
  },
  'lm-boolean-digits': (plain, varied) => {
    expect(varied['lm-list-soap11']!.body).toContain('<BBDCopySentMessages>0</BBDCopySentMessages>')
    expect(varied['lm-update-soap12']!.body).toContain('<BBDCopySentMessages>1</BBDCopySentMessages>')
    expect(varied['lm-delete-soap11']!.body).toContain('<UserDeleteResult>1</UserDeleteResult>')
    expect(varied['lm-list-soap11']!.body).not.toMatch(/>(true|false)</)
    untouchedBut(plain, varied, ['lm-list-soap11', 'lm-update-soap12', 'lm-list-all-soap12', 'lm-delete-soap11'])
  },
  'lm-int-spellings': (plain, varied) => {
    expect(varied['lm-list-soap11']!.body).toMatch(/<UserID>\+00020002<\/UserID><OrganisationID>\+000\d+<\/OrganisationID>/)
    expect(varied['lm-update-soap12']!.body).toContain('<UserRoleID>+0002</UserRoleID>')
    untouchedBut(plain, varied, ['lm-list-soap11', 'lm-update-soap12', 'lm-list-all-soap12'])
  },
  'lm-extra-fields': (plain, varied) => {
    expect(varied['lm-update-soap12']!.body).toMatch(
      /<BBDRemovedManuallyEmail>false<\/BBDRemovedManuallyEmail><LastLoginDate>[^<]+<\/LastLoginDate><IsLocked>false<\/IsLocked><\/UserUpdateResult>/,
    )
    untouchedBut(plain, varied, ['lm-list-soap11', 'lm-update-soap12', 'lm-list-all-soap12'])
  },
  'lm-user-list-order': (plain, varied) => {
    const ids = (p: Probe): string[] => [...p.body.matchAll(/<CUser><UserID>(\d+)</g)].map((m) => m[1]!)
    expect(ids(plain['lm-list-all-soap12']!).length).toBeGreaterThan(1)
    expect(ids(varied['lm-list-all-soap12']!)).toEqual([...ids(plain['lm-list-all-soap12']!)].reverse())
    untouchedBut(plain, varied, ['lm-list-all-soap12'])
  },
  'lm-fault-wording': (plain, varied) => {
    expect(faultstring(varied['lm-fault-soap11']!)).toBe('Server was unable to process request. ---&gt; Invalid API key, username or password.')
    expect(faultstring(varied['lm-fault-soap12']!)).toBe('Server was unable to process request. ---&gt; The user could not be found.')
    untouchedBut(plain, varied, ['lm-fault-soap11', 'lm-fault-soap12'])
  },
}

describe('variations', () => {
  let plain: Probes
  beforeAll(async () => {
    plain = await runProbes()
  })

  test('the catalogue: unique names, none shared with a deviation, each with a description, a source and a test here', () => {
    const list = listVariations()
    expect(list.length).toBeGreaterThanOrEqual(30)
    const all = list.map((v) => v.name)
    expect(new Set(all).size).toBe(all.length)
    const deviations = new Set(listDeviations().map((d) => d.name))
    expect(all.filter((n) => deviations.has(n))).toEqual([])
    for (const v of list) {
      expect(v.description.length, v.name).toBeGreaterThan(20)
      expect(v.source.length, v.name).toBeGreaterThan(10)
    }
    expect(Object.keys(CHECKS).sort()).toEqual([...all].sort())
  })

  test('each names the APIs whose checks can see it: those it changes, and those sharing their backend', () => {
    const apis = Object.fromEntries(listVariations().map((v) => [v.name, v.apis]))
    const everyApi = EMBEDDED_APIS.filter((a) => a.varied).map((a) => a.api)
    expect(apis['http-chunked']).toEqual(everyApi)
    expect(apis['soap-prefix-s']).toEqual(everyApi)
    expect(apis['ir-error-wording']).toEqual(['inforouter'])
    expect(apis['lm-fault-wording']).toEqual(['logicmelon'])
    expect(apis['er-json-key-order']).toEqual(['ecgridos', 'ecgrid-rest'])
    expect(apis['eo-int-spellings']).toEqual(['ecgridos', 'ecgrid-rest'])
  })

  test('the rewriter reads and writes back every SOAP and GET/POST answer of the plain reference byte for byte (what a variation leaves alone stays as it was)', () => {
    const xml = xmlAnswers(plain)
    expect(xml.length).toBeGreaterThan(20)
    for (const name of xml) {
      const doc = parseDoc(plain[name]!.body)
      expect(doc, name).toBeDefined()
      expect(writeDoc(doc!), name).toBe(plain[name]!.body)
    }
  })

  test('an unknown variation is refused with UNKNOWN_VARIATION, listing the valid names', async () => {
    const error = await startReference({ variations: ['no-such-variation'] }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ReferenceConfigError)
    expect((error as ReferenceConfigError).code).toBe('UNKNOWN_VARIATION')
    expect((error as ReferenceConfigError).validNames).toContain('soap-prefix-s')
  })

  test('the probes see every kind of answer (SOAP results and faults of both versions, GET/POST, WSDL, REST)', () => {
    const envelopes = soapProbes(plain).map((n) => local(meaning(plain[n]!).body as XmlMeaning))
    expect(envelopes.every((l) => l === 'Envelope')).toBe(true)
    expect(soapProbes(plain).length).toBeGreaterThanOrEqual(14)
    expect(plain['ir-get-user-get']!.body).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<response/)
  })

  describe.concurrent('each changes the wire as it says, and nothing else', () => {
    for (const v of listVariations()) {
      test(`${v.name}: ${v.description}`, async () => {
        const check = CHECKS[v.name]
        if (check === undefined) throw new Error(`no check for ${v.name}`)
        check(plain, await runProbes([v.name]))
      })
    }
  })
})
