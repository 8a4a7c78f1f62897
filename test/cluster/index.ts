/*
 * A real kube-apiserver 1.20 (+ etcd) on loopback with the 15 Hedgehog CRDs,
 * for integration tests. `startTestCluster()` runs test/cluster/up (which
 * builds the binaries once, ~6-8 min, then reuses a running cluster) and
 * returns the connection details; `stopTestCluster()` runs test/cluster/down.
 * `kubeRequest()` is a small HTTPS client (Node built-ins) trusting the CA.
 * `lockTestCluster()` gives one test file the cluster alone: files that list,
 * count or wipe whole kinds cannot share it with files that create objects.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';

export type TestCluster = {
  /** `https://127.0.0.1:PORT` */
  url: string;
  /** Bearer token of a `system:masters` user. */
  adminToken: string;
  /** Bearer token of `hedgehog-reader`: get/list on the 15 Hedgehog kinds only. */
  readerToken: string;
  /** Base64 PEM of the CA that signed the serving certificate. */
  caData: string;
  /** Path of an admin kubeconfig (contexts `test` and `reader`). */
  kubeconfig: string;
};

const UP = path.join(__dirname, 'up');
const DOWN = path.join(__dirname, 'down');

function run(script: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      script,
      [],
      // The environment is passed on purpose: under Jest, `process.env` is the test file's own copy
      // and a child started without `env` gets the worker's, so HEDGEHOG_TEST_CLUSTER_DIR set by a
      // test file (the self-test's own cluster) would not reach up/down, which would then stop
      // the shared cluster under the other files using it.
      { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: { ...process.env } },
      (err, stdout, stderr) => {
        if (err) {
          reject(
            new Error(
              `${path.basename(script)} failed: ${err.message}\n${stderr.slice(
                -4000,
              )}`,
            ),
          );
        } else resolve(stdout);
      },
    );
  });
}

/**
 * Starts the test cluster (or reuses a healthy running one) and returns its
 * connection details. The first call on a machine builds kube-apiserver from
 * Debian sources (6-8 minutes); later calls take seconds.
 */
export async function startTestCluster(
  opts: { timeoutMs?: number } = {},
): Promise<TestCluster> {
  const stdout = await run(UP, opts.timeoutMs ?? 20 * 60_000);
  const lines = stdout.trim().split('\n');
  const file = lines[lines.length - 1];
  return JSON.parse(await fs.promises.readFile(file, 'utf8')) as TestCluster;
}

/** Stops the test cluster and removes its state dir (idempotent). */
export async function stopTestCluster(): Promise<void> {
  await run(DOWN, 60_000);
}

/**
 * Waits until no other test process holds the test cluster, takes it, and
 * returns the function that gives it back. Jest runs test files in parallel
 * workers; files that use the shared cluster take it in `beforeAll` and give it
 * back in `afterAll`. A holder that dies loses the lock within 30 s.
 */
export async function lockTestCluster(
  opts: { timeoutMs?: number } = {},
): Promise<() => Promise<void>> {
  const state =
    process.env.HEDGEHOG_TEST_CLUSTER_DIR ??
    path.join(os.tmpdir(), 'fabric-gitops-test-cluster');
  const target = `${path.resolve(state)}.tests`;
  await fs.promises.writeFile(target, '', { flag: 'a' });
  const waitMs = opts.timeoutMs ?? 30 * 60_000;
  return lockfile.lock(target, {
    realpath: false,
    stale: 30_000,
    update: 5_000,
    retries: { retries: Math.ceil(waitMs / 500), minTimeout: 500, maxTimeout: 500, factor: 1 },
    onCompromised: err => {
      // A long pause of this process let another take the cluster: say so, go on.
      process.stderr.write(`test cluster lock lost: ${err.message}\n`);
    },
  });
}

export type KubeResponse = {
  status: number;
  /** Parsed JSON body (or the raw text when it is not JSON). */
  body: any;
};

/**
 * One HTTPS request to the cluster. `body` objects are sent as JSON;
 * `contentType` defaults to application/json (use
 * `application/apply-patch+yaml` for server-side apply,
 * `application/merge-patch+json` for merge patches).
 */
export function kubeRequest(
  cluster: Pick<TestCluster, 'url' | 'caData' | 'adminToken'>,
  method: string,
  urlPath: string,
  opts: { body?: unknown; token?: string; contentType?: string } = {},
): Promise<KubeResponse> {
  const url = new URL(urlPath, cluster.url);
  let payload: string | undefined;
  if (opts.body !== undefined) {
    payload = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  }
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method,
        ca: Buffer.from(cluster.caData, 'base64'),
        headers: {
          Authorization: `Bearer ${opts.token ?? cluster.adminToken}`,
          Accept: 'application/json',
          ...(payload !== undefined
            ? {
                'Content-Type': opts.contentType ?? 'application/json',
                'Content-Length': Buffer.byteLength(payload),
              }
            : {}),
        },
        timeout: 30_000,
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: any = text;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON (e.g. /readyz answers "ok")
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`timeout: ${method} ${url}`)),
    );
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}
