import { InputError } from '@backstage/errors';
import { FabricProbe, FabricProbeRequest } from '@fabric-gitops/plugin-hedgehog-common';
import { catalogFabricRefusal, FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { GitCredentialsResolver } from '../git/credentials';
import { RepositoryProbe } from '../git/RepositoryProbe';
import { describeDirectory } from '../gitops/describeDirectory';
import { HedgehogOptions } from './config';

/** A probe waits at most this long for the remote (or less: `hedgehog.git.timeoutSeconds`). */
export const PROBE_TIMEOUT_MS = 60_000;

/** A probe request, checked: the URL, branch and directory as a fabric would have them. */
export interface CheckedProbeRequest {
  url: string;
  branch: string;
  path: string;
  cluster?: string;
}

/**
 * Checks a probe request's fields with the rules of a fabric's definition
 * (config.ts `checkFabric`); the message names the field.
 */
export function checkProbeRequest(body: FabricProbeRequest, clusters: string[]): CheckedProbeRequest {
  const url = body.url.trim();
  if (!/^(https?|git|file|ssh):\/\/[^\s]+$/i.test(url)) {
    throw new InputError(`url: "${body.url}" must be a Git URL starting with https://, http://, git://, ssh:// or file://`);
  }
  if (/^[a-z]+:\/\/[^/]*@/i.test(url)) {
    throw new InputError('url: the URL must not contain credentials; configure them in the integrations section of app-config');
  }
  if (/^file:\/\/(?!\/)/i.test(url)) throw new InputError(`url: "${url}" must be file:///<absolute path>`);
  const branch = (body.branch ?? 'main').trim() || 'main';
  if (!/^[A-Za-z0-9._/-]+$/.test(branch) || branch.includes('..') || branch.startsWith('-') || branch.endsWith('/')) {
    throw new InputError(`branch: "${branch}" is not a valid branch name`);
  }
  const dir = (body.path ?? '').trim().replace(/^\.?\/+|\/+$/g, '').replace(/^\.$/, '');
  if (dir.split('/').some(s => s === '..' || s === '.') || dir.includes('\\') || dir.includes('//')) {
    throw new InputError(`path: "${body.path}" must be a relative folder inside the repository ('' or . for its root)`);
  }
  const cluster = body.cluster?.trim() || undefined;
  if (cluster && !clusters.includes(cluster)) {
    throw new InputError(`cluster: "${cluster}" is not a cluster of hedgehog.clusters (known: ${clusters.join(', ') || 'none'})`);
  }
  return { url, branch, path: dir, cluster };
}

/** The same repository, branch and directory (URLs compared without case, a trailing .git or /). */
function sameLocation(f: FabricDefinition, r: CheckedProbeRequest): boolean {
  const norm = (u: string) => u.trim().toLowerCase().replace(/\/+$/, '').replace(/\.git$/, '');
  return norm(f.git.url) === norm(r.url) && f.git.branch === r.branch && f.git.path === r.path;
}

/**
 * `POST /fabrics/probe`: looks at a repository before it is added as a fabric —
 * reachable with the backend's integrations? the branch? what the directory holds?
 * would the catalog fabric policy let an entity use it? — without writing anything.
 */
export class FabricProber {
  constructor(
    private readonly deps: {
      options: HedgehogOptions;
      credentials: GitCredentialsResolver;
      /** Every fabric the backend has, synced and blocked. */
      fabrics: () => FabricDefinition[];
    },
  ) {}

  async probe(request: CheckedProbeRequest): Promise<FabricProbe> {
    const { options } = this.deps;
    const credentials = await this.deps.credentials.forUrl(request.url);
    const policy = options.catalogFabrics;
    const refusal = policy
      ? catalogFabricRefusal(policy, { git: { url: request.url }, cluster: request.cluster })
      : 'hedgehog.catalogFabrics is not configured: catalog fabrics may use no repository';
    const base = {
      url: request.url,
      branch: request.branch,
      path: request.path,
      usedCredentials: credentials !== undefined,
      existingFabric: this.deps.fabrics().find(f => sameLocation(f, request))?.name,
      catalog: { allowed: !refusal, reason: refusal, writeMode: policy?.writeMode ?? 'none' },
    } as const;
    const listing = await RepositoryProbe.list(
      options.workingDirectory,
      {
        url: request.url,
        credentials,
        author: options.git.author,
        timeoutMs: Math.min(options.git.timeoutMs, PROBE_TIMEOUT_MS),
      },
      request.branch,
      request.path,
    ).catch(e => ({ reachable: false as const, error: e instanceof Error ? e.message : String(e) }));
    if (!listing.reachable) {
      return {
        ...base,
        reachable: false,
        branchExists: false,
        error: listing.error,
        advice: credentials
          ? 'The repository could not be read with the credentials of integrations: check the URL and that the token may read it.'
          : 'The repository could not be read. Check the URL; a private repository needs credentials in the integrations section of app-config.',
      };
    }
    if (!listing.branchExists) {
      return {
        ...base,
        reachable: true,
        branchExists: false,
        branches: listing.branches,
        layout: 'needs-bootstrap',
        advice: listing.branches.length === 0
          ? 'The repository is empty: the first sync of a fabric with write mode push creates the branch and the layout.'
          : `The repository has no branch ${request.branch} (it has ${listing.branches.slice(0, 5).join(', ')}${listing.branches.length > 5 ? ', …' : ''}).`,
      };
    }
    const described = describeDirectory(listing.paths, listing.truncated);
    return { ...base, reachable: true, branchExists: true, commit: listing.commit, ...described };
  }
}
