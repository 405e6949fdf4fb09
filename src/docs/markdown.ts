/** Small, pure Markdown builders for generated pages. */

/** Text for a table cell: one line, its pipes escaped. */
export function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|')
}

/** Inline code; a value holding backticks is fenced with more of them than it holds in a row. */
export function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length))
  const fence = '`'.repeat(longest + 1)
  const pad = longest ? ' ' : ''
  return `${fence}${pad}${text}${pad}${fence}`
}

export const codes = (xs: readonly string[], none = '—'): string => (xs.length ? xs.map(code).join(', ') : none)

/** A GitHub-flavoured table; cells are escaped here. */
export function table(head: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`
  return [line(head), `|${head.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n')
}

/** A fenced code block whose fence is longer than any run of backticks in the text. */
export function fenced(lang: string, text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length))
  const fence = '`'.repeat(longest + 1)
  return `${fence}${lang}\n${text.replace(/\n$/, '')}\n${fence}`
}
