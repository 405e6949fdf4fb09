/**
 * Variations of how the ASMX services (infoRouter, ECGridOS, LogicMelon) spell their XML answers: the same
 * elements, attributes, namespaces and text, written another way XML, Namespaces in XML or SOAP allows.
 */
import type { Variation } from './types.ts'
import { onAsmxApis, soapAnswers, xmlAnswers } from './wraps.ts'
import {
  attributesReversed,
  cdataText,
  commentsAdded,
  extraHeaderBlock,
  reasonInTwoLanguages,
  decimalCharRefs,
  emptyAsPair,
  emptyDetailOmitted,
  emptyHeader,
  envelopePrefix,
  faultCodeOwnPrefix,
  faultOptionalParts,
  hexCharRefAttr,
  indented,
  insignificantSpaceStripped,
  langSpelled,
  prefixedContent,
  redundantDeclarations,
  singleQuotedAttr,
  unusedDeclarationsDropped,
} from './xml-rewrites.ts'

const NAMESPACES = 'Namespaces in XML 1.0 §3 and §6: a prefix only stands for its namespace, names are compared by namespace and local name'
const WHERE_TRUTH = 'DESIGN "Where the truth comes from": QNames compared by namespace and local name'

const prefix = (name: string, to: string, spelled: string, who: string): Variation => ({
  name,
  api: '*',
  description: `SOAP answers write the envelope as ${spelled} (${who}); fault codes use the same prefix (${to}:Client).`,
  source: `${NAMESPACES}; SOAP 1.1 §4.4.1 and SOAP 1.2 Part 1 §5.4.6.1: fault codes are QNames; ${WHERE_TRUTH}`,
  wraps: onAsmxApis([soapAnswers([envelopePrefix(to)])]),
})

export const XML_VARIATIONS: readonly Variation[] = [
  prefix('soap-prefix-s', 's', '<s:Envelope xmlns:s="…">', 'as WCF does'),
  prefix('soap-prefix-soap-env', 'SOAP-ENV', '<SOAP-ENV:Envelope xmlns:SOAP-ENV="…">', 'as gSOAP, Axis and PHP do'),
  prefix('soap-prefix-env', 'env', '<env:Envelope xmlns:env="…">', "as the SOAP 1.2 specification's examples do"),
  {
    name: 'soap-default-namespace',
    api: '*',
    description: 'SOAP answers put the envelope in the default namespace (<Envelope xmlns="…"><Body>…); the unqualified fault children say xmlns="".',
    source: `${NAMESPACES} (§6.2 default namespace); SOAP 1.1 §4.4: faultcode, faultstring, detail are unqualified; ${WHERE_TRUTH}`,
    wraps: onAsmxApis([soapAnswers([envelopePrefix('')])]),
  },
  {
    name: 'soap-body-prefixed',
    api: '*',
    description:
      'The answer inside the SOAP Body uses a prefix for the service namespace (<m:UserUpdateResponse xmlns:m="…"><m:UserUpdateResult>…) instead of a default namespace.',
    source: `${NAMESPACES}; ${WHERE_TRUTH}`,
    wraps: onAsmxApis([soapAnswers([prefixedContent('m')])]),
  },
  {
    name: 'soap-unused-declarations-dropped',
    api: '*',
    description: 'SOAP envelopes leave out xmlns:xsi and xmlns:xsd when nothing in the answer uses them.',
    source: `${NAMESPACES}: a declaration is needed only where its prefix is used`,
    wraps: onAsmxApis([soapAnswers([unusedDeclarationsDropped])]),
  },
  {
    name: 'xml-redundant-declarations',
    api: '*',
    description:
      'XML answers declare xmlns:xsi and xmlns:xsd again on each element that declares a namespace (as XmlSerializer writes a root), and an unused prefix on the root.',
    source: `${NAMESPACES}: declarations may be repeated and may go unused`,
    wraps: xmlAnswers([redundantDeclarations]),
  },
  {
    name: 'soap-empty-header',
    api: '*',
    description: 'SOAP answers carry an empty <soap:Header /> before the Body.',
    source: 'SOAP 1.1 §4.2 and SOAP 1.2 Part 1 §5.2: the Header is optional and may be empty',
    wraps: onAsmxApis([soapAnswers([emptyHeader])]),
  },
  {
    name: 'soap-extra-header-block',
    api: '*',
    description: 'SOAP answers carry a header block the client does not know (<soap:Header><ref:ServerInfo xmlns:ref="…"><ref:Node>…), without mustUnderstand.',
    source: 'SOAP 1.1 §4.2 and SOAP 1.2 Part 1 §5.2: header blocks without mustUnderstand="1" may be ignored by a receiver that does not know them',
    wraps: onAsmxApis([soapAnswers([extraHeaderBlock])]),
  },
  {
    name: 'soap12-reason-two-languages',
    api: '*',
    description: 'SOAP 1.2 fault reasons carry a German text (xml:lang="de") before the English one.',
    source: 'SOAP 1.2 Part 1 §5.4.2: a Reason holds one or more Text elements, one per language',
    wraps: onAsmxApis([soapAnswers([reasonInTwoLanguages('Die Anfrage konnte nicht verarbeitet werden.')])]),
  },
  {
    name: 'xml-comments',
    api: '*',
    description: 'XML answers carry comments: one after the declaration and one at the start of every element with child elements (never inside text).',
    source: 'XML 1.0 §2.5: comments may appear in the prolog and in content; they are not part of the character data',
    wraps: xmlAnswers([commentsAdded(' conform reference ')], { prolog: (read) => `${read}<!-- served by the conform reference -->` }),
  },
  {
    name: 'soap-fault-code-own-prefix',
    api: '*',
    description: 'The fault code QName uses a prefix of its own, declared on its element (<faultcode xmlns:fc="…/envelope/">fc:Client</faultcode>).',
    source: `SOAP 1.1 §4.4.1, SOAP 1.2 Part 1 §5.4.6.1: a fault code is a QName, resolved by the declarations in scope; ${WHERE_TRUTH}`,
    wraps: onAsmxApis([soapAnswers([faultCodeOwnPrefix])]),
  },
  {
    name: 'soap-fault-optional-parts',
    api: '*',
    description: 'Faults carry their optional parts: SOAP 1.1 a <faultactor>; SOAP 1.2 a <soap:Subcode> under the code and a <soap:Role> after the reason.',
    source: 'SOAP 1.1 §4.4 (faultactor); SOAP 1.2 Part 1 §5.4 (Subcode, Node, Role are optional parts of a Fault)',
    wraps: onAsmxApis([soapAnswers([faultOptionalParts])]),
  },
  {
    name: 'soap12-empty-detail-omitted',
    api: '*',
    description: 'SOAP 1.2 faults with nothing to detail leave out <soap:Detail /> (SOAP 1.1 keeps <detail />).',
    source: 'SOAP 1.2 Part 1 §5.4: a Fault has zero or one Detail',
    wraps: onAsmxApis([soapAnswers([emptyDetailOmitted])]),
  },
  {
    name: 'soap12-reason-lang-en-us',
    api: '*',
    description: 'SOAP 1.2 fault reasons say xml:lang="en-US" instead of "en".',
    source: 'SOAP 1.2 Part 1 §5.4.2.1: each Text carries an xml:lang (RFC 3066 tags); none is prescribed',
    wraps: onAsmxApis([soapAnswers([langSpelled('en-US')])]),
  },
  {
    name: 'xml-no-declaration',
    api: '*',
    description: 'XML answers (SOAP and GET/POST) start with the root element, without <?xml …?>.',
    source: 'XML 1.0 §2.8 ([22] prolog: the XML declaration is optional) and §4.3.3 (UTF-8 needs no encoding declaration)',
    wraps: xmlAnswers([], { declaration: () => undefined }),
  },
  {
    name: 'xml-declaration-spelling',
    api: '*',
    description: "XML answers declare <?xml version='1.0' encoding='UTF-8' standalone='yes'?> (single quotes, upper-case encoding name, standalone).",
    source: 'XML 1.0 §2.8 ([24] VersionInfo, [32] SDDecl: single or double quotes) and §4.3.3 (encoding names match case-insensitively)',
    wraps: xmlAnswers([], { declaration: (read) => (read === undefined ? undefined : "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>") }),
  },
  {
    name: 'xml-indented-crlf',
    api: '*',
    description: 'XML answers are indented by a tab per level with CRLF line ends (SOAP answers too; text content untouched).',
    source: 'XML 1.0 §2.10 (white space between elements of element-only content is insignificant) and §2.11 (CRLF is read as LF)',
    wraps: xmlAnswers([indented('\t', '\r\n')], { prolog: (read) => read.replaceAll('\n', '\r\n') }),
  },
  {
    name: 'xml-compact',
    api: '*',
    description: 'GET/POST XML answers come on one line, without the indentation XmlSerializer writes.',
    source: 'XML 1.0 §2.10: white space between elements of element-only content is insignificant',
    wraps: xmlAnswers([insignificantSpaceStripped]),
  },
  {
    name: 'xml-attributes-reversed',
    api: '*',
    description: 'Every element writes its attributes (and namespace declarations) in the reverse order.',
    source: 'XML 1.0 §3.1: the order of attribute specifications in a start-tag is not significant',
    wraps: xmlAnswers([attributesReversed]),
  },
  {
    name: 'xml-single-quoted-attributes',
    api: '*',
    description: "Attribute values are in single quotes (success='true').",
    source: 'XML 1.0 §2.3 [10] AttValue: single or double quotes',
    wraps: xmlAnswers([], { attr: singleQuotedAttr }),
  },
  {
    name: 'xml-decimal-char-refs',
    api: '*',
    description: 'Every character of text content but white space is written as a decimal character reference (&#97; for a).',
    source: 'XML 1.0 §4.1: a character reference stands for the character it names',
    wraps: xmlAnswers([], { text: decimalCharRefs }),
  },
  {
    name: 'xml-hex-char-refs-in-attributes',
    api: '*',
    description: 'Every character of every attribute value is written as a hexadecimal character reference (&#x74;&#x72;… for true).',
    source: 'XML 1.0 §4.1 and §3.3.3 (attribute-value normalization replaces a character reference by its character)',
    wraps: xmlAnswers([], { attr: hexCharRefAttr }),
  },
  {
    name: 'xml-cdata-text',
    api: '*',
    description: 'Text content is written in CDATA sections (<UserID><![CDATA[5001]]></UserID>, faultstrings too).',
    source: 'XML 1.0 §2.7: CDATA sections hold character data; the parser reports the same text',
    wraps: xmlAnswers([], { text: cdataText }),
  },
  {
    name: 'xml-empty-element-pairs',
    api: '*',
    description: 'Empty elements are written as a start and an end tag (<detail></detail>, <Password></Password>).',
    source: 'XML 1.0 §3.1 [44]: an empty element is an empty-element tag or a start-tag immediately followed by its end-tag',
    wraps: xmlAnswers([], { empty: emptyAsPair }),
  },
]
