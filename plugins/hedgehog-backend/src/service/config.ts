import {
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { GitWriteMode, KindScopeSetting, NOTIFICATION_LEVELS, NotificationLevel, isValidLabel, readKindScope } from '@fabric-gitops/plugin-hedgehog-common';
import { CatalogFabricPolicy, FabricDefinition, readCatalogFabricPolicy } from '@fabric-gitops/plugin-hedgehog-node';
import os from 'os';
import { ClusterDefinition } from '../cluster/ClusterClient';
import { DEFAULT_PRUNE_LIMIT } from '../cluster/prunePolicy';
import { DEFAULT_MAX_CONCURRENT_RUNS } from '../pipeline/RunCoordinator';
import { FabricConfigInput } from '../validation/fabricConfig';
import { FABRIC_CONFIG_FIELDS, pickFabricConfig } from '../validation/fabricConfigInput';
import { DEFAULT_LIVE_READ_LIMITS, LiveReadLimits } from './LiveReads';
import { DEFAULT_VALIDATION_POOL, ValidationPoolOptions } from './ValidationPool';
import path from 'path';

export interface HedgehogOptions {
  schedule: SchedulerServiceTaskScheduleDefinition;
  driftSchedule: SchedulerServiceTaskScheduleDefinition;
  applyConcurrency: number;
  /** `hedgehog.maxConcurrentRuns`: runs this replica executes at once (default DEFAULT_MAX_CONCURRENT_RUNS). */
  maxConcurrentRuns?: number;
  /** `hedgehog.apply.pruneLimit`: the share a prune may delete unconfirmed, for fabrics that set none. */
  pruneLimit: number;
  clusters: ClusterDefinition[];
  workingDirectory: string;
  git: {
    author: { name: string; email: string };
    timeoutMs: number;
    maxPushAttempts: number;
  };
  fabrics: FabricDefinition[];
  /**
   * What fabrics of untrusted sources (catalog entities) may use: `hedgehog.catalogFabrics`
   * and the clusters' `allowCatalogFabrics`. Absent: no repository and no cluster.
   */
  catalogFabrics?: CatalogFabricPolicy;
  /**
   * FabricConfig values of app-config fabrics (`hedgehog.fabrics[].fabricConfig`), by
   * fabric name; the cluster's ConfigMap, when readable, takes precedence per field.
   */
  fabricConfigs?: Record<string, FabricConfigInput>;
  /** Webhooks from Git hosts (`hedgehog.webhooks`). */
  webhooks?: { github?: { secret?: string } };
  /** The frontend's base URL (`app.baseUrl`), for links such as commit status targets. */
  appBaseUrl?: string;
  /** Bounds of the read routes that ask GitHub or a cluster (`hedgehog.liveReads`). */
  liveReads?: LiveReadLimits;
  /** How `POST /validate` requests run (`hedgehog.validation`; default DEFAULT_VALIDATION_POOL). */
  validation?: ValidationPoolOptions;
}

/** The sync schedule of a fabric when neither it nor `hedgehog.schedule` gives one (or a part of one). */
export const DEFAULT_SCHEDULE = {
  frequency: { minutes: 5 },
  timeout: { minutes: 10 },
  initialDelay: { seconds: 5 },
} as const satisfies SchedulerServiceTaskScheduleDefinition;

/** The drift check schedule when `hedgehog.driftSchedule` gives none (or a part of one). */
export const DEFAULT_DRIFT_SCHEDULE = {
  frequency: { minutes: 2 },
  timeout: { minutes: 5 },
  initialDelay: { seconds: 30 },
} as const satisfies SchedulerServiceTaskScheduleDefinition;

const WRITE_MODES: GitWriteMode[] = ['push', 'pull-request', 'none'];

/** Reads `hedgehog` from app-config; throws a clear error for an invalid fabric. */
export function readHedgehogOptions(config: Config): HedgehogOptions {
  const root = config.getOptionalConfig('hedgehog');
  const schedule = root?.has('schedule')
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(root.getConfig('schedule'))
    : DEFAULT_SCHEDULE;
  const clusters = (root?.getOptionalConfigArray('clusters') ?? []).map((c, i) =>
    readCluster(c, `hedgehog.clusters[${i}]`),
  );
  const clusterNames = new Set(clusters.map(c => c.name));
  if (clusterNames.size !== clusters.length) {
    throw new InputError('hedgehog.clusters: a cluster name is used twice');
  }
  const fabricsConfig = root?.getOptionalConfigArray('fabrics') ?? [];
  const fabrics = fabricsConfig.map((c, i) =>
    checkCluster(readFabric(c, `hedgehog.fabrics[${i}]`), clusterNames, `hedgehog.fabrics[${i}]`),
  );
  const fabricConfigs: Record<string, FabricConfigInput> = {};
  fabricsConfig.forEach((c, i) => {
    const value = readFabricConfig(c, `hedgehog.fabrics[${i}].fabricConfig`);
    if (value) fabricConfigs[c.getString('name')] = value;
  });
  const names = new Set<string>();
  for (const f of fabrics) {
    if (names.has(f.name)) throw new InputError(`hedgehog.fabrics: the fabric name "${f.name}" is used twice`);
    names.add(f.name);
  }
  return {
    schedule,
    driftSchedule: root?.has('driftSchedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(root.getConfig('driftSchedule'))
      : DEFAULT_DRIFT_SCHEDULE,
    applyConcurrency: root?.getOptionalNumber('apply.concurrency') ?? 8,
    maxConcurrentRuns: readMaxConcurrentRuns(root?.getOptionalNumber('maxConcurrentRuns')),
    pruneLimit: readPruneLimit(root?.getOptionalNumber('apply.pruneLimit'), 'hedgehog.apply.pruneLimit') ?? DEFAULT_PRUNE_LIMIT,
    clusters,
    workingDirectory: root?.getOptionalString('workingDirectory') ?? defaultWorkingDirectory(config),
    git: {
      author: {
        name: root?.getOptionalString('git.author.name') ?? 'Backstage Hedgehog',
        email: root?.getOptionalString('git.author.email') ?? 'hedgehog@backstage.invalid',
      },
      timeoutMs: (root?.getOptionalNumber('git.timeoutSeconds') ?? 120) * 1000,
      maxPushAttempts: root?.getOptionalNumber('git.maxPushAttempts') ?? 3,
    },
    fabrics,
    catalogFabrics: readCatalogFabricPolicy(config),
    fabricConfigs,
    webhooks: { github: { secret: root?.getOptionalString('webhooks.github.secret') || undefined } },
    appBaseUrl: config.getOptionalString('app.baseUrl'),
    liveReads: readLiveReadLimits(root?.getOptionalConfig('liveReads')),
    validation: readValidationPool(root?.getOptionalConfig('validation')),
  };
}

/** `hedgehog.maxConcurrentRuns`: an integer of at least 1. */
function readMaxConcurrentRuns(v: number | undefined): number {
  if (v === undefined) return DEFAULT_MAX_CONCURRENT_RUNS;
  if (!Number.isInteger(v) || v < 1) throw new InputError(`hedgehog.maxConcurrentRuns: must be an integer of at least 1, not ${v}`);
  return v;
}

/** `hedgehog.validation`: the worker pool of `POST /validate`. */
function readValidationPool(c: Config | undefined): ValidationPoolOptions {
  const d = DEFAULT_VALIDATION_POOL;
  const count = (key: string, fallback: number, min: number) => {
    const v = c?.getOptionalNumber(key) ?? fallback;
    if (!Number.isInteger(v) || v < min) throw new InputError(`hedgehog.validation.${key}: must be an integer of at least ${min}, not ${v}`);
    return v;
  };
  return {
    workers: count('workers', d.workers, 1),
    queue: count('queue', d.queue, 0),
    timeoutMs: count('timeoutSeconds', d.timeoutMs / 1000, 1) * 1000,
    maxHeapMb: count('maxHeapMb', d.maxHeapMb, 64),
  };
}

/** `hedgehog.liveReads`: how long answers of GitHub and clusters are reused, and calls per user. */
function readLiveReadLimits(c: Config | undefined): LiveReadLimits {
  const d = DEFAULT_LIVE_READ_LIMITS;
  const read = (key: string, fallback: number, min: number) => {
    const value = c?.getOptionalNumber(key) ?? fallback;
    if (!Number.isFinite(value) || value < min) {
      throw new InputError(`hedgehog.liveReads.${key}: ${value} is not a number of at least ${min}`);
    }
    return value;
  };
  return {
    cacheMs: read('cacheSeconds', d.cacheMs / 1000, 0) * 1000,
    burst: read('burst', d.burst, 1),
    perMinute: read('perMinute', d.perMinute, 0),
  };
}

/**
 * Where the plugin keeps its cached repositories when `hedgehog.workingDirectory` is
 * not set: `hedgehog/` in Backstage's working directory (`backend.workingDirectory`,
 * as the scaffolder and TechDocs use it), else a folder of the operating system's
 * temporary directory named after the user the backend runs as. Either is created
 * with mode 0700 and refused at start when another user owns it or may write to it.
 */
export function defaultWorkingDirectory(config: Config): string {
  const backstage = config.getOptionalString('backend.workingDirectory');
  if (backstage) return path.join(backstage, 'hedgehog');
  const user = typeof process.getuid === 'function' ? String(process.getuid()) : os.userInfo().username;
  return path.join(os.tmpdir(), `backstage-hedgehog-${user}`);
}

function readCluster(c: Config, where: string): ClusterDefinition {
  const name = c.getString('name');
  if (!isValidLabel(name)) {
    throw new InputError(`${where}.name: "${name}" is not a valid cluster name (an RFC 1123 label)`);
  }
  const url = c.getString('url');
  if (!/^https?:\/\//.test(url) || /^[a-z]+:\/\/[^/]*@/i.test(url)) {
    throw new InputError(`${where}.url: the API server URL must start with https:// (or http://) and hold no credentials`);
  }
  return {
    name,
    url,
    serviceAccountToken: c.getOptionalString('serviceAccountToken'),
    caData: c.getOptionalString('caData'),
    skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
  };
}

/** The optional FabricConfig block of a fabric: only the fields validation uses. */
function readFabricConfig(c: Config, where: string): FabricConfigInput | undefined {
  const value = c.getOptional('fabricConfig');
  if (value === undefined) return undefined;
  const { config, problems } = pickFabricConfig(value);
  if (problems.length > 0) throw new InputError(`${where}.${problems[0]}`);
  const unknown = Object.keys(value as object).filter(k => !FABRIC_CONFIG_FIELDS.includes(k));
  if (unknown.length > 0) {
    throw new InputError(`${where}.${unknown[0]}: not a field validation uses (known: ${FABRIC_CONFIG_FIELDS.join(', ')})`);
  }
  return config;
}

/** A fabric may name only a cluster defined in config. */
export function checkCluster(f: FabricDefinition, clusters: Set<string>, where: string): FabricDefinition {
  if (f.cluster && !clusters.has(f.cluster)) {
    throw new InputError(
      `${where}.cluster: "${f.cluster}" is not a cluster of hedgehog.clusters (known: ${[...clusters].join(', ') || 'none'})`,
    );
  }
  return f;
}

function readFabric(c: Config, where: string): FabricDefinition {
  const name = c.getString('name');
  const schedule = c.has('schedule')
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(c.getConfig('schedule'))
    : undefined;
  return checkFabric(
    {
      name,
      title: c.getOptionalString('title') ?? name,
      description: c.getOptionalString('description'),
      owner: c.getOptionalString('owner'),
      git: {
        url: c.getString('git.url'),
        branch: c.getOptionalString('git.branch') ?? 'main',
        path: c.getOptionalString('git.path') ?? '',
        writeMode: (c.getOptionalString('git.writeMode') ?? 'push') as GitWriteMode,
      },
      cluster: c.getOptionalString('cluster'),
      apply: (c.getOptionalString('apply') ?? 'manual') as 'manual' | 'auto',
      prune: c.getOptionalBoolean('prune') ?? false,
      pruneLimit: c.getOptionalNumber('pruneLimit'),
      ...(c.has('kinds') ? { kinds: c.get('kinds') as KindScopeSetting } : {}),
      ...(c.has('notifications') ? { notifications: c.getString('notifications') as NotificationLevel } : {}),
      schedule,
      source: 'app-config',
    },
    where,
  );
}

/**
 * Checks and normalizes a fabric definition from any source. The messages name
 * where the definition came from and the field at fault.
 */
export function checkFabric(f: FabricDefinition, where: string): FabricDefinition {
  if (!isValidLabel(f.name)) {
    throw new InputError(`${where}.name: "${f.name}" is not a valid fabric name (an RFC 1123 label: lower-case letters, digits and '-', at most 63 characters)`);
  }
  if (!/^(https?|git|file|ssh):\/\//i.test(f.git.url)) {
    throw new InputError(`${where}.git.url: the URL must start with https://, http://, git://, ssh:// or file://`);
  }
  if (/^[a-z]+:\/\/[^/]*@/i.test(f.git.url)) {
    throw new InputError(`${where}.git.url: the URL must not contain credentials; configure them in the integrations section`);
  }
  if (!/^[A-Za-z0-9._/-]+$/.test(f.git.branch) || f.git.branch.includes('..') || f.git.branch.startsWith('-')) {
    throw new InputError(`${where}.git.branch: "${f.git.branch}" is not a valid branch name`);
  }
  const dir = f.git.path.replace(/^\/+|\/+$/g, '');
  if (dir.split('/').some(s => s === '..' || s === '.') || dir.includes('\\')) {
    throw new InputError(`${where}.git.path: "${f.git.path}" must be a relative folder inside the repository`);
  }
  if (!WRITE_MODES.includes(f.git.writeMode)) {
    throw new InputError(`${where}.git.writeMode: "${f.git.writeMode}" is not one of ${WRITE_MODES.join(', ')}`);
  }
  if (f.apply !== 'manual' && f.apply !== 'auto') {
    throw new InputError(`${where}.apply: "${f.apply}" is not one of manual, auto`);
  }
  readPruneLimit(f.pruneLimit, `${where}.pruneLimit`);
  if (f.notifications !== undefined && !NOTIFICATION_LEVELS.includes(f.notifications)) {
    throw new InputError(`${where}.notifications: "${f.notifications}" is not one of ${NOTIFICATION_LEVELS.join(', ')}`);
  }
  const kinds = checkKinds(f.kinds, `${where}.kinds`);
  const entityKinds = checkKinds(f.entityKinds, `${where}.entityKinds`);
  return { ...f, git: { ...f.git, path: dir }, ...(kinds ? { kinds } : {}), ...(entityKinds ? { entityKinds } : {}) };
}

/** The kinds a fabric manages, checked: a preset or a list of managed kinds. */
function checkKinds(value: unknown, where: string): KindScopeSetting | undefined {
  if (value === undefined) return undefined;
  const read = readKindScope(value);
  if ('problem' in read) throw new InputError(`${where}: ${read.problem}`);
  return read.setting;
}

/** A prune limit: a share of a fabric's objects, from 0 (every prune is confirmed) to 1. */
function readPruneLimit(value: number | undefined, where: string): number | undefined {
  if (value !== undefined && !(value >= 0 && value <= 1)) {
    throw new InputError(`${where}: ${value} is not a share between 0 and 1 (0.1 = 10% of the fabric's objects in the cluster)`);
  }
  return value;
}
