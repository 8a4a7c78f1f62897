/**
 * The askpass helper of the suite's git processes: it answers git's prompts from
 * environment variables of the git process (`askpassEnvironment`), so credentials
 * never appear in URLs, arguments or files. Whoever writes it to disk must make it
 * private to the process (it runs with the credentials in its environment).
 *
 * @public
 */
export const GIT_ASKPASS_SCRIPT = [
  '#!/bin/sh',
  '# Answers git credential prompts from the environment of the git process.',
  'case "$1" in',
  '  Username*) printf "%s\\n" "$HEDGEHOG_GIT_USERNAME" ;;',
  '  *) printf "%s\\n" "$HEDGEHOG_GIT_PASSWORD" ;;',
  'esac',
  '',
].join('\n');

/**
 * The environment variables of a git process that hand `credentials` to
 * `GIT_ASKPASS_SCRIPT`.
 *
 * @public
 */
export function askpassEnvironment(credentials: { username: string; password: string }): Record<string, string> {
  return { HEDGEHOG_GIT_USERNAME: credentials.username, HEDGEHOG_GIT_PASSWORD: credentials.password };
}
