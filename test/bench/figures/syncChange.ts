/*
 * Re-sync figures of W5k after one change upstream: a new raw file (ingested,
 * committed and pushed back), and a managed file edited directly (normal GitOps:
 * nothing to commit). The first is judged against plain git committing and pushing
 * the same change; the second against the no-op re-sync.
 */
import { promises as fs } from 'fs';
import path from 'path';
import { RunRecord } from '../../../plugins/hedgehog-backend/src/database/HedgehogStore';
import { extraVpcFile } from '../lib/generate';
import { changedFileCommitFloor, changedFileFloor } from '../lib/floors';
import { Product } from '../lib/product';
import { figure } from '../lib/report';
import {
  checkedSync,
  medianStages,
  stageCounts,
} from '../lib/syncChecks';
import { copyDir, git, log, median } from '../lib/util';
import type { BenchContext } from './sync';

/**
 * The one-file re-sync may take this much of plain git doing the same commit and push
 * (2026-12-07: it was judged against 2× a fetch-only no-op, which no sync that commits
 * and pushes can meet).
 */
const CHANGE_TARGET_RATIO = 1.2;

export async function changeFigures(
  ctx: BenchContext,
  setup: {
    /** The product after the cold sync and the no-op re-syncs. */
    product: Product;
    /** The fabric's remote (bare repository). */
    remote: string;
    dir: string;
    /** A clone of the remote that the floors fetch into. */
    floorClone: string;
    /** The no-op re-sync's median, which the targets refer to. */
    noopMs: number;
  },
) {
  const { reps, fabric } = ctx;
  const name = fabric.name;
  const { product, remote, dir, floorClone, noopMs } = setup;
  // ---- one changed raw file: a new file with a VPC and two attachments ----
  const helper = path.join(dir, 'change-helper');
  await git(['clone', '--quiet', `file://${remote}`, helper]);
  // the plain-tools way of a change that is committed: a clone pushing to a scratch remote of its own
  const commitClone = path.join(dir, 'change-commit-floor');
  await git(['clone', '--quiet', `file://${remote}`, commitClone]);
  await copyDir(remote, path.join(dir, 'change-commit-floor.git'));
  await git(
    [
      'remote',
      'add',
      'floor',
      `file://${path.join(dir, 'change-commit-floor.git')}`,
    ],
    { cwd: commitClone },
  );
  const commitFloor: number[] = [];
  const transport: number[] = [];
  const change: number[] = [];
  const changeFloor: number[] = [];
  const changeRuns: RunRecord[] = [];
  for (let n = 1; n <= reps; n++) {
    const file = extraVpcFile(fabric, n);
    const repoPath = `fabrics/${name}/${file.path}`;
    await catchUp(helper);
    await fs.mkdir(path.dirname(path.join(helper, repoPath)), {
      recursive: true,
    });
    await fs.writeFile(path.join(helper, repoPath), file.content);
    await git(['add', '-A'], { cwd: helper });
    await git(['commit', '--quiet', '-m', `add ${file.path}`], { cwd: helper });
    await git(['push', '--quiet', 'origin', 'HEAD:main'], { cwd: helper });
    changeFloor.push(await changedFileFloor(floorClone, repoPath));
    const plain = await changedFileCommitFloor(
      commitClone,
      `fabrics/${name}`,
      repoPath,
    );
    commitFloor.push(plain.ms);
    transport.push(plain.fetchMs + plain.pushMs);
    const { ms, run } = await checkedSync(product, name, {
      created: file.documents,
      committed: true,
    });
    change.push(ms);
    changeRuns.push(run);
  }
  // A re-sync after a changed raw file must commit and push the ingestion: its floor is
  // plain git doing that same work (fetch, parse, write, add/commit, push), not a no-op.
  const changeFig = figure({
    id: 'sync.change',
    title: 're-sync W5k after one changed raw file',
    unit: 'ms',
    productRuns: change,
    floorRuns: commitFloor,
    floorWhat: 'plain git: fetch + reset + parse + write + add/commit + push',
    target: `≤ ${CHANGE_TARGET_RATIO}× plain git's commit & push`,
    details: {
      stages: medianStages(changeRuns),
      counts: changeRuns.map(r => stageCounts(r, 'plan')),
      noopMs,
    },
  });
  changeFig.met = changeFig.product <= CHANGE_TARGET_RATIO * changeFig.floor!;
  ctx.figures.push(changeFig);
  ctx.figures.push(
    figure({
      id: 'sync.change.fetch',
      title: '… the same, beside fetching and parsing that file alone (nothing committed)',
      unit: 'ms',
      productRuns: change,
      floorRuns: changeFloor,
      floorWhat: 'git fetch + parse that file',
    }),
  );
  // What a sync that commits spends in git's transport alone.
  ctx.figures.push(
    figure({
      id: 'sync.change.transport',
      title: '… the same, beside git fetch + git push alone',
      unit: 'ms',
      productRuns: change,
      floorRuns: transport,
      floorWhat: 'git fetch + git push of that commit (plain git)',
    }),
  );
  log(
    `one-file change: product ${changeFig.product.toFixed(
      0,
    )} ms, plain git's commit & push ${changeFig.floor!.toFixed(
      0,
    )} ms (fetch + parse alone: ${median(changeFloor).toFixed(
      0,
    )} ms; fetch + push alone: ${median(transport).toFixed(0)} ms)`,
  );

  await managedEditFigure(ctx, { product, floorClone, helper, noopMs });
}

/**
 * One managed file edited upstream in canonical form (a server's description):
 * the sync fetches, plans, validates and imports it, and has nothing to commit.
 * The same floor as the raw file's: `git fetch` + parse that file.
 */
async function managedEditFigure(
  ctx: BenchContext,
  setup: { product: Product; floorClone: string; helper: string; noopMs: number },
) {
  const { reps, fabric } = ctx;
  const name = fabric.name;
  const { product, floorClone, helper, noopMs } = setup;
  const servers = `fabrics/${name}/managed/servers`;
  await catchUp(helper);
  const [first] = (await fs.readdir(path.join(helper, servers)))
    .filter(f => f.endsWith('.yaml'))
    .sort();
  const repoPath = `${servers}/${first}`;
  const edits: number[] = [];
  const editFloor: number[] = [];
  const editRuns: RunRecord[] = [];
  for (let n = 1; n <= reps; n++) {
    await catchUp(helper);
    const file = path.join(helper, repoPath);
    const before = await fs.readFile(file, 'utf8');
    const after = before.replace(
      /^(\s+description: server \S+ of fabric \S+?)(?: edited \d+)?$/m,
      `$1 edited ${n}`,
    );
    if (after === before) throw new Error(`${repoPath}: no description to edit`);
    await fs.writeFile(file, after);
    await git(['commit', '--quiet', '-am', `edit ${first}`], { cwd: helper });
    await git(['push', '--quiet', 'origin', 'HEAD:main'], { cwd: helper });
    editFloor.push(await changedFileFloor(floorClone, repoPath));
    const { ms, run } = await checkedSync(product, name, { committed: false });
    const upserted = stageCounts(run, 'import').upserted;
    if (upserted !== 1) {
      throw new Error(`the edit of ${repoPath} imported ${upserted} resources, expected 1`);
    }
    edits.push(ms);
    editRuns.push(run);
  }
  const fig = figure({
    id: 'sync.change.managed',
    title: `re-sync W5k after one managed file edited directly (nothing to commit; 2× no-op: ${(
      2 * noopMs
    ).toFixed(0)} ms)`,
    unit: 'ms',
    productRuns: edits,
    floorRuns: editFloor,
    floorWhat: 'git fetch + parse that file',
    details: { stages: medianStages(editRuns) },
  });
  ctx.figures.push(fig);
  log(
    `one managed file edited: product ${fig.product.toFixed(0)} ms, floor ${fig.floor!.toFixed(0)} ms`,
  );
}

/** Brings a helper clone to the remote's head, as a user's clone before a change. */
async function catchUp(clone: string) {
  await git(['fetch', '--quiet', 'origin'], { cwd: clone });
  await git(['reset', '--quiet', '--hard', 'origin/main'], { cwd: clone });
}
