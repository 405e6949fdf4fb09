/** The small HTML page ASMX shows for `GET service.asmx`: the service name and its operations. */
import type { ServiceSpec } from './types.ts'

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch)

export function buildDocPage(service: ServiceSpec): string {
  const file = escapeHtml(service.path.replace(/^.*\//, ''))
  const items = service.operations.map((op) => `<li><a href="${file}?op=${escapeHtml(op.name)}">${escapeHtml(op.name)}</a></li>`).join('\n      ')
  return `<html>
  <head><title>${escapeHtml(service.name)} Web Service</title></head>
  <body>
    <h1>${escapeHtml(service.name)}</h1>
    <p>The following operations are supported. For a formal definition, please review the <a href="${file}?WSDL">Service Description</a>.</p>
    <ul>
      ${items}
    </ul>
    <p>Namespace: ${escapeHtml(service.namespace)}</p>
  </body>
</html>
`
}
