/**
 * The text of a SOAP request as ASMX reads it (SoapServerProtocol.GetReaderForMessage with
 * RequestResponseUtils.GetEncoding2):
 * - a charset .NET knows in the Content-Type: a StreamReader in that charset, which a byte order mark overrides;
 *   invalid bytes become U+FFFD, and the XML declaration's encoding is not looked at;
 * - otherwise a `text/*` request (SOAP 1.1's `text/xml`) is read as US-ASCII, again unless a byte order mark
 *   says otherwise (RFC 3023's default; every byte beyond ASCII becomes `?`);
 * - otherwise (`application/soap+xml` without a charset .NET knows) XmlTextReader finds the encoding itself: a byte
 *   order mark or the UTF-16/UTF-32 pattern of `<`, then the XML declaration's encoding, else strict UTF-8. An
 *   encoding it cannot use there is an XmlException, so the request is malformed (HTTP 400, empty).
 */
import { ISO_8859_1, US_ASCII, UTF16BE, UTF16LE, UTF32BE, UTF32LE, byteOrderMark, charsetByName, type Charset } from './charset.ts'
import { charsetParam, mediaType } from './content-type.ts'

export type SoapText = { readonly ok: true; readonly text: string } | { readonly ok: false }

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
const UTF16_NAMES = new Set(['utf-16', 'ucs-2', 'iso-10646-ucs-2', 'ucs-4'])

/** StreamReader(stream, charset, detectEncodingFromByteOrderMarks: true).ReadToEnd(). */
function streamReaderText(body: Uint8Array, charset: Charset): string {
  const bom = byteOrderMark(body)
  return bom === undefined ? charset.decode(body) : bom.charset.decode(body.subarray(bom.length))
}

/** XmlTextReaderImpl.DetectEncoding: the charset the first bytes show, and how many of them are a byte order mark. */
function detectEncoding(body: Uint8Array): { readonly charset: Charset; readonly skip: number } | 'utf-8' | 'unusable' {
  const bom = byteOrderMark(body)
  if (bom !== undefined) return bom.charset.name === 'utf-8' ? 'utf-8' : { charset: bom.charset, skip: bom.length }
  const [a, b, c, d] = body
  if (a === 0x3c && b === 0 && c === 0 && d === 0) return { charset: UTF32LE, skip: 0 }
  if (a === 0 && b === 0 && c === 0 && d === 0x3c) return { charset: UTF32BE, skip: 0 }
  if (a === 0x3c && b === 0) return { charset: UTF16LE, skip: 0 }
  if (a === 0 && b === 0x3c) return { charset: UTF16BE, skip: 0 }
  // the other UCS-4 byte orders and EBCDIC: .NET reads some of them, no SOAP client sends them
  if ((a === 0 && b === 0) || (a === 0x4c && b === 0x6f && c === 0xa7 && d === 0x94)) return 'unusable'
  return 'utf-8'
}

const DECLARED_ENCODING = /^<\?xml[ \t\r\n][^?]*?encoding[ \t\r\n]*=[ \t\r\n]*(["'])([A-Za-z][A-Za-z0-9._-]*)\1/

/** XmlTextReader over the raw stream (no charset given). */
function xmlReaderText(body: Uint8Array): SoapText {
  const found = detectEncoding(body)
  if (found === 'unusable') return { ok: false }
  if (found !== 'utf-8') {
    const text = found.charset.decode(body.subarray(found.skip))
    const declared = DECLARED_ENCODING.exec(text)?.[2]?.toLowerCase()
    // a 16- or 32-bit document may only declare an encoding of its own kind
    return declared === undefined || UTF16_NAMES.has(declared) || declared === found.charset.name.toLowerCase() ? { ok: true, text } : { ok: false }
  }
  const start = byteOrderMark(body)?.length ?? 0
  const bytes = body.subarray(start)
  const declared = DECLARED_ENCODING.exec(ISO_8859_1.decode(bytes.subarray(0, 256)))?.[2]?.toLowerCase()
  // CheckEncoding: utf-16 declared in a document without its byte order mark is an error; ucs-4 is let pass
  if (declared !== undefined && declared !== 'ucs-4' && UTF16_NAMES.has(declared)) return { ok: false }
  if (declared === undefined || declared === 'utf-8' || declared === 'ucs-4') {
    try {
      return { ok: true, text: strictUtf8.decode(bytes) }
    } catch {
      return { ok: false }
    }
  }
  const charset = charsetByName(declared)
  return charset === undefined || charset.name.startsWith('utf-') ? { ok: false } : { ok: true, text: charset.decode(bytes) }
}

export function soapRequestText(body: Uint8Array, contentType: string): SoapText {
  const name = charsetParam(contentType)
  const charset = name === undefined ? undefined : charsetByName(name)
  if (charset !== undefined) return { ok: true, text: streamReaderText(body, charset) }
  if (mediaType(contentType).startsWith('application/')) return xmlReaderText(body)
  return { ok: true, text: streamReaderText(body, US_ASCII) }
}
