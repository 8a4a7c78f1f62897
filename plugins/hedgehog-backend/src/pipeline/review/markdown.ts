/* Markdown for the texts the plugin writes on GitHub (pull request bodies, comments). */

/** GitHub refuses bodies and comments above 65536 characters; the plugin keeps below this. */
export const MAX_BODY = 60_000;

/** Text safe inside a Markdown table cell. */
export function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;');
}

/** Inline code, safe inside a table cell. */
export function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')}\``;
}

/** A value as short inline JSON; `*(absent)*` for none. */
export function value(v: unknown): string {
  if (v === undefined) return '*(absent)*';
  const text = JSON.stringify(v);
  return code(text.length > 200 ? `${text.slice(0, 197)}...` : text);
}

/** The body cut at `MAX_BODY`, saying where the rest is. */
export function limit(body: string, whereTheRestIs: string): string {
  return body.length <= MAX_BODY ? body : `${body.slice(0, MAX_BODY)}\n\n… (shortened; ${whereTheRestIs})\n`;
}
