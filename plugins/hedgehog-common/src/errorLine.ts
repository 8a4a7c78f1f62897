/**
 * The first line of an error's message, for a one-line finding: without the
 * ':' the yaml library ends it with before the code frame it prints below, and
 * at most 300 characters.
 *
 * @public
 */
export function errorLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split('\n')[0].replace(/:\s*$/, '');
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
