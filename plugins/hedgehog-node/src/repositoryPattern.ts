/*
 * Repository URL patterns of the catalog fabric policy (`hedgehog.catalogFabrics.repositories`),
 * pure functions. A pattern is a repository URL in which `*` stands for any characters
 * except `/` and `**` for any characters including `/`:
 *
 *   https://github.com/acme/*              every repository of the owner acme
 *   https://gitlab.example.com/network/**  every repository below the group network
 *   file:///srv/git/fabrics/*.git          bare repositories in one local folder
 *
 * Both sides are compared in a normal form: scheme and host in lower case, the default
 * port left out, no trailing `/`, and for every scheme but file:// no trailing `.git`
 * (Git hosts serve `acme/net` and `acme/net.git` as the same repository).
 */

/** Schemes a repository URL or pattern may use. */
const SCHEMES = ['https:', 'http:', 'ssh:', 'git:', 'file:'];

/**
 * Why a repository URL cannot be checked against patterns (so it is refused), or
 * undefined when it can. Refused: what is not a URL of the five schemes, credentials,
 * a query or fragment, and paths that could name another folder than they seem to
 * (`.`/`..` segments, also percent-encoded; encoded `/`, `\` or NUL; a backslash;
 * empty segments).
 *
 * @public
 */
export function uncheckableRepositoryUrl(url: string): string | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  if (!scheme || !SCHEMES.includes(`${scheme[1].toLowerCase()}:`)) {
    return 'it is not an https://, http://, ssh://, git:// or file:// URL';
  }
  const rest = url.slice(scheme[0].length);
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? '' : rest.slice(slash);
  if (authority.includes('@')) return 'it holds credentials';
  if (/[?#]/.test(url)) return 'it has a query or a fragment';
  if (url.includes('\\') || /%(2f|5c|00)/i.test(url)) {
    return 'it holds a backslash or an encoded "/", "\\" or NUL';
  }
  const segments = path.split('/').slice(1);
  if (segments.some(s => /^(\.|%2e){1,2}$/i.test(s))) {
    return 'its path has "." or ".." segments';
  }
  if (segments.slice(0, -1).some(s => s === '')) {
    return 'its path has an empty segment ("//")';
  }
  try {
    new URL(url); // eslint-disable-line no-new
  } catch {
    return 'it is not a URL';
  }
  return undefined;
}

/** Default ports, left out of the normal form. */
const DEFAULT_PORTS: Record<string, string> = {
  https: '443',
  http: '80',
  ssh: '22',
  git: '9418',
};

/**
 * The normal form of a repository URL or pattern, on the text (what git is given),
 * not through the URL parser (which would encode or decode characters).
 */
function normalize(url: string): string {
  const [, scheme, rest] = /^([^:]+):\/\/(.*)$/s.exec(url)!;
  const lower = scheme.toLowerCase();
  const slash = rest.indexOf('/');
  let host = (slash < 0 ? rest : rest.slice(0, slash)).toLowerCase();
  if (host.endsWith(`:${DEFAULT_PORTS[lower]}`)) {
    host = host.slice(0, host.lastIndexOf(':'));
  }
  if (lower === 'file' && host === 'localhost') host = '';
  let path = slash < 0 ? '' : rest.slice(slash).replace(/\/+$/, '');
  if (lower !== 'file') path = path.replace(/\.git$/i, '');
  return `${lower}://${host}${path}`;
}

/**
 * Checks a pattern of `hedgehog.catalogFabrics.repositories`; returns what is wrong
 * with it, or undefined.
 *
 * @public
 */
export function invalidRepositoryPattern(pattern: string): string | undefined {
  // A wildcard is a valid URL character; check the URL it would be with letters.
  const problem = uncheckableRepositoryUrl(pattern.replace(/\*/g, 'x'));
  if (problem) return problem;
  const parsed = new URL(pattern.replace(/\*/g, 'x'));
  if (parsed.protocol === 'file:' && parsed.host !== '') {
    return 'a file:// pattern names a local folder: file:///path/…';
  }
  if (parsed.protocol !== 'file:' && !parsed.host) return 'it names no host';
  const authority = pattern.replace(/^[^:]+:\/\//, '').split('/')[0];
  if (authority.includes('**')) {
    return 'its host has "**" (in the host, "*" stands for any characters but "/" already)';
  }
  return undefined;
}

/**
 * Whether a repository URL matches a pattern (see the file's comment). A URL that
 * {@link uncheckableRepositoryUrl} refuses matches no pattern.
 *
 * @public
 */
export function matchesRepositoryPattern(
  pattern: string,
  url: string,
): boolean {
  if (invalidRepositoryPattern(pattern) || uncheckableRepositoryUrl(url)) {
    return false;
  }
  const source = normalize(pattern)
    .split(/(\*\*|\*)/)
    .map(part => {
      if (part === '**') return '.*';
      if (part === '*') return '[^/]*';
      return part.replace(/[.+?^${}()|[\]\\/-]/g, c => `\\${c}`);
    })
    .join('');
  return new RegExp(`^${source}$`).test(normalize(url));
}
