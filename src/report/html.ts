/** What the self-contained HTML reports (matrix.html, migration.html) share: escaping and the page's base look. */

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

export const PAGE_CSS = [
  'body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5rem;color:#1f2937}',
  'h1{font-size:1.4rem;margin:0 0 .5rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}',
  '.verdict{display:inline-block;padding:.1rem .5rem;border-radius:4px;font-weight:600}',
  'table{border-collapse:collapse;margin:.25rem 0 1rem}',
  'th,td{border:1px solid #cbd5e1;padding:.25rem .5rem;vertical-align:top}',
].join('\n')
