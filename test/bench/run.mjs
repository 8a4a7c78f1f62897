#!/usr/bin/env node
/*
 * `npm run bench [-- flags]`: runs the benchmarks (test/bench/main.ts) in a child
 * Node with backstage-cli's TypeScript hook, in a scratch folder on /dev/shm
 * (when it exists), with a private test cluster whose state lives in that folder.
 * Removes the scratch folder and stops the cluster afterwards.
 *
 * Flags:
 *   --only=sync,validate,cluster,api,postgres,reads,ui,deployed,w100k,scale   groups to run (default all but scale)
 *   --figures=sync.change,w100k.rss   only these figures of the groups (default all;
 *                        sync.cold, sync.noop, sync.change, w100k.rss.capped)
 *   --reps=3             runs per figure (medians)
 *   --resources=5000     resources per fabric (W5k)
 *   --fabrics=20         fabrics in the W100k repository
 *   --scale-fabrics=200  fabrics of the scale group (4 repositories)
 *   --profile            write .cpuprofile files to test/bench/results/profiles/
 *   --keep               keep the scratch folder (its path is printed)
 *   --verbose            print the product's log lines
 *   --node-flags="..."   extra V8/Node flags for the bench processes (e.g. --trace-gc)
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

if (Number(process.versions.node.split('.')[0]) < 22) {
  console.error(
    `Node ${process.version}: the benchmarks need Node 22 (native modules are built for it); run \`npm run bench\`, or \`source scripts/env.sh\` first`,
  );
  process.exit(2);
}

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const require = createRequire(path.join(repoRoot, 'package.json'));

const flags = Object.fromEntries(
  process.argv.slice(2).map(a => {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
    if (!m) {
      console.error(`unknown argument ${a}`);
      process.exit(2);
    }
    return [m[1], m[2] ?? 'true'];
  }),
);

const base = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
const dir = fs.mkdtempSync(path.join(base, 'hedgehog-bench-'));
fs.mkdirSync(path.join(dir, 'tmp'));
const clusterDir = path.join(dir, 'cluster');

const env = {
  ...process.env,
  BENCH_DIR: dir,
  // Every temporary file of the product and of git (commit indexes, blobs) goes to the scratch folder.
  TMPDIR: path.join(dir, 'tmp'),
  HEDGEHOG_TEST_CLUSTER_DIR: clusterDir,
  BENCH_ONLY: flags.only ?? process.env.BENCH_ONLY ?? '',
  BENCH_FIGURES: flags.figures ?? process.env.BENCH_FIGURES ?? '',
  BENCH_REPS: flags.reps ?? process.env.BENCH_REPS ?? '3',
  BENCH_RESOURCES: flags.resources ?? process.env.BENCH_RESOURCES ?? '5000',
  BENCH_FABRICS: flags.fabrics ?? process.env.BENCH_FABRICS ?? '20',
  BENCH_SCALE_FABRICS:
    flags['scale-fabrics'] ?? process.env.BENCH_SCALE_FABRICS ?? '200',
  ...(flags.verbose ? { BENCH_VERBOSE: '1' } : {}),
};

const nodeArgs = [
  '--require',
  require.resolve('@backstage/cli/config/nodeTransform.cjs'),
];
// e.g. --node-flags="--trace-gc --max-old-space-size=256" (also given to the W100k process)
if (flags['node-flags'])
  nodeArgs.push(...flags['node-flags'].split(/\s+/).filter(Boolean));
if (flags.profile) {
  const profiles = path.join(here, 'results', 'profiles');
  fs.mkdirSync(profiles, { recursive: true });
  nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${profiles}`);
}

function cleanup() {
  // Stops the private cluster (idempotent; a no-op when it never started).
  spawnSync(path.join(repoRoot, 'test', 'cluster', 'down'), [], {
    env,
    stdio: 'ignore',
  });
  if (flags.keep) console.error(`scratch folder kept: ${dir}`);
  else fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(`${clusterDir}.lock`, { force: true });
}

const child = spawn(
  process.execPath,
  [...nodeArgs, path.join(here, 'main.ts')],
  {
    cwd: repoRoot,
    env,
    stdio: 'inherit',
    detached: true,
  },
);
let interrupted = false;
const interrupt = () => {
  interrupted = true;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // gone
  }
};
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, interrupt);
child.on('close', code => {
  cleanup();
  process.exit(interrupted ? 130 : code ?? 1);
});
