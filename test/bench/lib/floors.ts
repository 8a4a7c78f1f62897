/*
 * The physical floors: the same work done with plain tools on the same data,
 * without the product. Each floor is what the figure cannot beat by much.
 */
import {
  FIELD_MANAGER,
  HEDGEHOG_KINDS,
} from '@fabric-gitops/plugin-hedgehog-common';
import fs from 'fs';
import https from 'https';
import path from 'path';
import zlib from 'zlib';
import { parseAllDocuments, stringify } from 'yaml';
import { git, timed } from './util';

const PLURAL = new Map(HEDGEHOG_KINDS.map(k => [k.kind, k.plural]));

/** Every file under a folder (relative paths), recursively. */
function walk(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), {
    withFileTypes: true,
  })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...walk(dir, p));
    else out.push(p);
  }
  return out;
}

/** Parses every document of a YAML text with the product's YAML library. */
export function parseText(text: string): unknown[] {
  return parseAllDocuments(text).map(d => d.toJS());
}

/**
 * Cold-sync floor: `git clone` + parse every raw file with the same YAML library +
 * write one file per resource + `git add/commit` + `git push`.
 */
export async function coldSyncFloor(
  remoteUrl: string,
  clone: string,
  fabricDir: string,
) {
  const phases: Record<string, number> = {};
  const t = async (name: string, fn: () => Promise<unknown> | unknown) => {
    phases[name] = (await timed(fn)).ms;
  };
  let resources = 0;
  const total = await timed(async () => {
    await t('clone', () => git(['clone', '--quiet', remoteUrl, clone]));
    const dir = path.join(clone, fabricDir);
    await t('parse+write', () => {
      for (const rel of walk(path.join(dir, 'raw'))) {
        for (const o of parseText(
          fs.readFileSync(path.join(dir, 'raw', rel), 'utf8'),
        ) as any[]) {
          const folder = path.join(dir, 'managed', PLURAL.get(o.kind)!);
          fs.mkdirSync(folder, { recursive: true });
          fs.writeFileSync(
            path.join(folder, `${o.metadata.name}.yaml`),
            stringify(o),
          );
          resources++;
        }
      }
    });
    await t('add+commit', async () => {
      await git(['rm', '-r', '-q', path.join(fabricDir, 'raw')], {
        cwd: clone,
      });
      await git(['add', '-A'], { cwd: clone });
      await git(['commit', '-q', '-m', 'ingest'], { cwd: clone });
    });
    await t('push', () =>
      git(['push', '-q', 'origin', 'HEAD:main'], { cwd: clone }),
    );
  });
  return { ms: total.ms, phases, resources };
}

/** No-op floor: `git fetch` in an up-to-date clone. */
export async function fetchFloor(clone: string) {
  return (
    await timed(() => git(['fetch', '--quiet', 'origin'], { cwd: clone }))
  ).ms;
}

/** One-file-change floor: `git fetch` + read and parse that file. */
export async function changedFileFloor(clone: string, repoPath: string) {
  return (
    await timed(async () => {
      await git(['fetch', '--quiet', 'origin'], { cwd: clone });
      const text = (
        await git(['cat-file', 'blob', `origin/main:${repoPath}`], {
          cwd: clone,
        })
      ).toString('utf8');
      return parseText(text).length;
    })
  ).ms;
}

/**
 * The same change done the plain way when it has to be committed, as the product
 * must (the raw file becomes managed files): `git fetch` + `git reset --hard` to the
 * new head + parse the file + write one file per resource + `git rm`/`add`/`commit`
 * + `git push` (to a scratch remote of its own). Also times the fetch and the push
 * alone: what any sync that commits must spend in git's transport.
 */
export async function changedFileCommitFloor(
  clone: string,
  fabricDir: string,
  repoPath: string,
): Promise<{ ms: number; fetchMs: number; pushMs: number }> {
  let fetchMs = 0;
  let pushMs = 0;
  const { ms } = await timed(async () => {
    fetchMs = (
      await timed(() => git(['fetch', '--quiet', 'origin'], { cwd: clone }))
    ).ms;
    await git(['reset', '--quiet', '--hard', 'origin/main'], { cwd: clone });
    const text = fs.readFileSync(path.join(clone, repoPath), 'utf8');
    for (const o of parseText(text) as any[]) {
      const folder = path.join(
        clone,
        fabricDir,
        'managed',
        PLURAL.get(o.kind)!,
      );
      fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(
        path.join(folder, `${o.metadata.name}.yaml`),
        stringify(o),
      );
    }
    await git(['rm', '-q', repoPath], { cwd: clone });
    await git(['add', '-A', path.join(fabricDir, 'managed')], { cwd: clone });
    await git(['commit', '-q', '-m', 'ingest'], { cwd: clone });
    pushMs = (
      await timed(() =>
        git(['push', '-q', '--force', 'floor', 'HEAD:main'], { cwd: clone }),
      )
    ).ms;
  });
  return { ms, fetchMs, pushMs };
}

// ---- Kubernetes -------------------------------------------------------------

export interface KubeTarget {
  url: string;
  adminToken: string;
  caData: string;
}

/**
 * A keep-alive HTTPS client for the test API server (Node built-ins only). With
 * the defaults its connection settings are the product's (ClusterClient): one
 * keep-alive agent, no socket limit, and `Accept-Encoding: gzip,deflate` as
 * `@kubernetes/client-node` (node-fetch) sends it, so the API server compresses
 * large LIST pages for both alike.
 */
export function kubeClient(
  c: KubeTarget,
  options: { maxSockets?: number; compressed?: boolean } = {},
) {
  const { maxSockets, compressed = true } = options;
  const agent = new https.Agent({
    keepAlive: true,
    ...(maxSockets ? { maxSockets } : {}),
    ca: Buffer.from(c.caData, 'base64'),
  });
  let requests = 0;
  const request = (
    method: string,
    urlPath: string,
    body?: string,
    contentType = 'application/json',
  ) =>
    new Promise<{ status: number; body: any }>((resolve, reject) => {
      requests++;
      const req = https.request(
        new URL(urlPath, c.url),
        {
          method,
          agent,
          headers: {
            Authorization: `Bearer ${c.adminToken}`,
            Accept: 'application/json',
            ...(compressed ? { 'Accept-Encoding': 'gzip,deflate' } : {}),
            ...(body !== undefined
              ? {
                  'Content-Type': contentType,
                  'Content-Length': Buffer.byteLength(body),
                }
              : {}),
          },
          timeout: 60_000,
        },
        res => {
          const encoding = res.headers['content-encoding'];
          const stream =
            encoding === 'gzip' || encoding === 'deflate'
              ? res.pipe(
                  encoding === 'gzip'
                    ? zlib.createGunzip()
                    : zlib.createInflate(),
                )
              : res;
          const chunks: Buffer[] = [];
          stream.on('data', (d: Buffer) => chunks.push(d));
          stream.on('error', reject);
          stream.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: any = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // not JSON
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
        },
      );
      req.on('timeout', () =>
        req.destroy(new Error(`timeout: ${method} ${urlPath}`)),
      );
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  return {
    request,
    get requests() {
      return requests;
    },
    close: () => agent.destroy(),
  };
}

export type KubeClient = ReturnType<typeof kubeClient>;

const collection = (kind: string) => {
  const k = HEDGEHOG_KINDS.find(x => x.kind === kind)!;
  return `/apis/${k.group}/${k.version}/namespaces/default/${k.plural}`;
};

/** Runs fn over items with at most `limit` in flight. */
export async function mapLimit<T>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<void>,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

/** Objects by the product's apply levels (`applyOrder` of their kinds, ascending). */
export function applyLevels(
  objects: Array<Record<string, any>>,
): Array<Array<Record<string, any>>> {
  const order = new Map(HEDGEHOG_KINDS.map(k => [k.kind, k.applyOrder]));
  const levels = new Map<number, Array<Record<string, any>>>();
  for (const o of objects) {
    const n = order.get(o.kind)!;
    const level = levels.get(n);
    if (level) level.push(o);
    else levels.set(n, [o]);
  }
  return [...levels.entries()].sort((x, y) => x[0] - y[0]).map(([, l]) => l);
}

/**
 * Apply floor: the write requests the product sends into an empty cluster and
 * nothing else. The same server-side apply PATCH per object (field manager
 * `FIELD_MANAGER`, `force=true`, `application/apply-patch+yaml`, the object with
 * the fabric's label as JSON), level by level in the same dependency order, each
 * level with the same concurrency, by a plain loop: no LIST, no plan, no
 * database, the answers parsed and dropped.
 */
export async function applyFloor(
  client: KubeClient,
  objects: Array<Record<string, any>>,
  concurrency: number,
) {
  const before = client.requests;
  let failed = 0;
  const send = async (o: Record<string, any>) => {
    const res = await client.request(
      'PATCH',
      `${collection(o.kind)}/${
        o.metadata.name
      }?fieldManager=${FIELD_MANAGER}&force=true`,
      JSON.stringify(o),
      'application/apply-patch+yaml',
    );
    if (res.status >= 300) {
      failed++;
      if (failed <= 3)
        process.stderr.write(
          `apply floor: ${o.kind}/${o.metadata.name}: ${
            res.status
          } ${JSON.stringify(res.body).slice(0, 300)}\n`,
        );
    }
  };
  const levels = applyLevels(objects);
  const { ms } = await timed(async () => {
    for (const level of levels) await mapLimit(level, concurrency, send);
  });
  return { ms, requests: client.requests - before, failed };
}

/**
 * Drift floor: the product's LISTs and nothing else. One paginated LIST per
 * managed kind (pages of 500, the product's page size; the kinds in parallel, as
 * the product lists them), each page's JSON parsed; the client's settings are the
 * product's (see kubeClient).
 */
export async function listFloor(client: KubeClient) {
  const before = client.requests;
  let objects = 0;
  const { ms } = await timed(() =>
    Promise.all(
      HEDGEHOG_KINDS.map(async k => {
        let token: string | undefined;
        do {
          const res = await client.request(
            'GET',
            `${collection(k.kind)}?limit=500${
              token ? `&continue=${encodeURIComponent(token)}` : ''
            }`,
          );
          if (res.status !== 200)
            throw new Error(`LIST ${k.plural}: ${res.status}`);
          objects += res.body.items.length;
          token = res.body.metadata?.continue || undefined;
        } while (token);
      }),
    ),
  );
  return { ms, requests: client.requests - before, objects };
}

/** Deletes every Hedgehog object in namespace default and waits until the lists are empty. */
export async function wipeCluster(client: KubeClient) {
  for (const k of HEDGEHOG_KINDS) {
    // a busy API server may time out deleting a large collection (500): the next try goes on with what is left
    for (let attempt = 1; ; attempt++) {
      const res = await client.request('DELETE', collection(k.kind));
      if (res.status < 300 || res.status === 404) break;
      if (res.status < 500 || attempt >= 5)
        throw new Error(`DELETE ${k.plural}: ${res.status}`);
      await new Promise(r => setTimeout(r, 1000));
    }
  }
  for (let i = 0; i < 600; i++) {
    const { objects } = await listFloor(client);
    if (objects === 0) return;
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error('the cluster did not empty');
}
