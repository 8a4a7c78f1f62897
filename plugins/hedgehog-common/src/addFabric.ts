import { ANNOTATION_CLUSTER, ANNOTATION_GITOPS_LOCATION, FABRIC_ENTITY_TYPE } from './annotations';
import { formatGitopsLocation } from './gitopsLocation';
import type { GitWriteMode } from './types';

/*
 * Adding a fabric from the portal: the probe of a repository (`POST /fabrics/probe`)
 * and what the "Add fabric" page offers from it: a catalog entity inside the catalog
 * fabric policy, or the app-config entry to paste.
 */

/** Where the fabric to add lives. @public */
export interface FabricProbeRequest {
  url: string;
  /** Default `main`. */
  branch?: string;
  /** The fabric directory inside the repository; '' or absent for the root. */
  path?: string;
  /** A cluster of `hedgehog.clusters` the fabric would be applied to. */
  cluster?: string;
}

/** Counts of one folder of a fabric directory. @public */
export interface ProbeFolder {
  /** Files under the folder (all depths). */
  files: number;
  /** Of them, `.yaml`/`.yml` files. */
  yamlFiles: number;
}

/**
 * What the directory holds, and what that means:
 * - `fabric`: a GitOps directory of this plugin (`.gitops/manifest.yaml` or `managed/`);
 * - `raw-only`: `raw/` without the rest of the layout (the first sync adds it);
 * - `needs-bootstrap`: the directory is missing or holds no YAML (the first sync of a
 *   writing fabric creates the layout; drop Hedgehog YAML into `raw/`);
 * - `yaml-outside-raw`: YAML files but no layout: only files under `raw/` are ingested,
 *   move them there.
 *
 * @public
 */
export type ProbeLayout = 'fabric' | 'raw-only' | 'needs-bootstrap' | 'yaml-outside-raw';

/** The answer of `POST /fabrics/probe`. @public */
export interface FabricProbe {
  url: string;
  branch: string;
  path: string;
  /** Whether the backend could reach the repository with its configured integrations. */
  reachable: boolean;
  /** Why not (git's message, without credentials). */
  error?: string;
  /** Whether credentials of `integrations` were used. */
  usedCredentials: boolean;
  /** Whether the branch exists; a reachable repository without it is empty or has other branches. */
  branchExists: boolean;
  /** The repository's branches (the first 50), when the branch does not exist. */
  branches?: string[];
  /** The branch's head commit. */
  commit?: string;
  directory?: {
    exists: boolean;
    raw: ProbeFolder;
    managed: ProbeFolder;
    unmanaged: ProbeFolder;
    /** `.gitops/manifest.yaml` */
    manifest: boolean;
    /** `catalog-info.yaml` in the directory. */
    catalogInfo: boolean;
    /** YAML files outside raw/, managed/ and unmanaged/ (catalog-info.yaml aside). */
    otherYamlFiles: number;
    /** Files listed in all (the listing stops at a bound; `truncated` then). */
    totalFiles: number;
    truncated: boolean;
  };
  layout?: ProbeLayout;
  /** What the layout means for a newcomer, in one or two sentences. */
  advice: string;
  /** A fabric the backend already has for the same repository, branch and directory. */
  existingFabric?: string;
  /** Whether the catalog fabric policy lets a catalog entity use this repository (and cluster). */
  catalog: {
    allowed: boolean;
    /** Why not (the policy's words). */
    reason?: string;
    /** The highest write mode a catalog fabric gets (`hedgehog.catalogFabrics.writeMode`). */
    writeMode: GitWriteMode;
  };
}

/** What the "Add fabric" page collects. @public */
export interface NewFabricInput {
  name: string;
  title?: string;
  owner?: string;
  url: string;
  branch: string;
  path: string;
  writeMode: GitWriteMode;
  cluster?: string;
}

function yamlScalar(value: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9 ._/:@-]*$/.test(value) && !/:\s|\s$|: ?$/.test(value) && !/^(true|false|null|yes|no|on|off|~)$/i.test(value)
    ? value
    : JSON.stringify(value);
}

/**
 * The catalog entity of a fabric (`catalog-info.yaml`): a Resource of type
 * `hedgehog-fabric` with its gitops location and cluster annotations, as the
 * catalog module reads it. A catalog fabric writes as far as the policy allows.
 *
 * @public
 */
export function fabricEntityYaml(input: NewFabricInput): string {
  const location = formatGitopsLocation({ url: input.url, branch: input.branch || 'main', path: input.path });
  const lines = [
    'apiVersion: backstage.io/v1alpha1',
    'kind: Resource',
    'metadata:',
    `  name: ${yamlScalar(input.name)}`,
    `  title: ${yamlScalar(input.title || input.name)}`,
    '  annotations:',
    `    ${ANNOTATION_GITOPS_LOCATION}: ${yamlScalar(location)}`,
    ...(input.cluster ? [`    ${ANNOTATION_CLUSTER}: ${yamlScalar(input.cluster)}`] : []),
    'spec:',
    `  type: ${FABRIC_ENTITY_TYPE}`,
    `  owner: ${yamlScalar(input.owner || 'unknown')}`,
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * The `hedgehog.fabrics` entry of app-config for the fabric (the operator's own
 * fabrics: not subject to the catalog fabric policy), to paste under `hedgehog:`.
 *
 * @public
 */
export function fabricAppConfigSnippet(input: NewFabricInput): string {
  const lines = [
    'hedgehog:',
    '  fabrics:',
    `    - name: ${yamlScalar(input.name)}`,
    ...(input.title ? [`      title: ${yamlScalar(input.title)}`] : []),
    ...(input.owner ? [`      owner: ${yamlScalar(input.owner)}`] : []),
    '      git:',
    `        url: ${yamlScalar(input.url)}`,
    `        branch: ${yamlScalar(input.branch || 'main')}`,
    `        path: ${input.path ? yamlScalar(input.path) : "''"}`,
    `        writeMode: ${input.writeMode}`,
    ...(input.cluster ? [`      cluster: ${yamlScalar(input.cluster)}`] : []),
  ];
  return `${lines.join('\n')}\n`;
}
