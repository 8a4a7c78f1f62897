/*
 * Issue 27: a fabric manages the kinds it declares. Fabrics that manage only the
 * day-2 kinds (the manifest's `scope: day2`, Hedgehog's GitOps pattern) or a
 * list of kinds (app-config, over a manifest that says otherwise) are synced
 * through the real service from a repository on loopback whose raw/ mixes
 * wiring with VPCs: every document of a kind outside the fabric's scope is in
 * `unmanaged/`, as written, with the reason "kind X is not managed by this
 * fabric" in its `.reason.yaml` and in the database; a file of such documents
 * only is moved as the same blob; the fabric's own kinds are managed; a second
 * sync changes nothing.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Knex } from 'knex';
import { parse } from 'yaml';
import { manifestContent } from '@fabric-gitops/plugin-hedgehog-common';
import { createBareRepo, pushFiles } from '../servers';
import { VPC_API, WIRING, sg } from './lib/corpus';
import { blobId, commits, fabricTree, readBlobs } from './lib/repo';
import { buildService, BuiltService, fabricDef, sqliteFile } from './lib/service';
import { SectionSummary } from './lib/summary';

jest.setTimeout(120_000);

const summary = new SectionSummary('section 20.12 (documents of kinds a fabric does not manage)');

const vpc = (name: string, vlan: number) =>
  `# the VPC ${name}\napiVersion: ${VPC_API}\nkind: VPC\nmetadata:\n  name: ${name}\nspec:\n  subnets:\n    default: {subnet: 10.0.${vlan - 1000}.0/24, vlan: ${vlan}}\n`;
const server = (name: string) => `# installer wiring\napiVersion: ${WIRING}\nkind: Server\nmetadata:\n  name: ${name}\nspec: {}\n`;
const MIXED = [vpc('v1', 1001), server('srv-1'), sg('sg-1')].join('---\n');
const WIRING_ONLY = [server('srv-2'), sg('sg-2')].join('---\n');

let root: string;
let repo: string;
let knex: Knex;
let env: BuiltService;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-rel-scope-'));
  repo = await createBareRepo(path.join(root, 'fabrics.git'));
  const files = (fabric: string, scope?: 'day2' | 'wiring') => ({
    [`${fabric}/.gitops/manifest.yaml`]: manifestContent(fabric, scope),
    [`${fabric}/raw/mixed.yaml`]: MIXED,
    [`${fabric}/raw/wiring/installer.yaml`]: WIRING_ONLY,
  });
  // day2 by its manifest; vpcs by app-config, over a manifest that says wiring
  await pushFiles(`file://${repo}`, { ...files('day2', 'day2'), ...files('vpcs', 'wiring') }, { message: 'user: mixed raw files' });
  knex = await sqliteFile(path.join(root, 'db.sqlite'));
  const url = `file://${repo}`;
  env = await buildService({
    knex,
    fabrics: [
      fabricDef('day2', url, { git: { url, branch: 'main', path: 'day2', writeMode: 'push' } }),
      fabricDef('vpcs', url, { git: { url, branch: 'main', path: 'vpcs', writeMode: 'push' }, kinds: ['VPC'] }),
    ],
  });
});

afterAll(async () => {
  await env?.close();
  await knex?.destroy();
  if (root) await fs.rm(root, { recursive: true, force: true });
});

/** Syncs the fabric and checks its directory, its database rows and that a second sync changes nothing. */
async function verifyCase(fabric: string) {
  const run = await env.sync(fabric);
  expect(run.status).toBe('succeeded');
  const tree = await fabricTree(repo, fabric);
  const blobs = await readBlobs(repo, [...tree.values()].map(e => e.blobId));
  const text = (p: string) => blobs.get(tree.get(p)!.blobId)!.toString('utf8');

  // the fabric's own kind is managed, with its comment
  expect(text('managed/vpcs/v1.yaml')).toContain('# the VPC v1');
  expect([...tree.keys()].filter(p => p.startsWith('raw/') && !p.endsWith('.gitkeep'))).toEqual([]);
  expect([...tree.keys()].some(p => p.startsWith('managed/servers/') || p.startsWith('managed/switchgroups/'))).toBe(false);

  // the other documents of the mixed file, as written, with their reasons
  const kept = text('unmanaged/mixed.yaml');
  expect(kept).toContain('# installer wiring');
  expect(kept).toContain('name: srv-1');
  expect(kept).toContain('name: sg-1');
  expect(kept).not.toContain('kind: VPC');
  const reasons = parse(text('unmanaged/mixed.yaml.reason.yaml')).reasons;
  expect(reasons).toEqual([
    expect.objectContaining({ index: 1, rule: 'out-of-scope', message: 'kind Server is not managed by this fabric' }),
    expect.objectContaining({ index: 2, rule: 'out-of-scope', message: 'kind SwitchGroup is not managed by this fabric' }),
  ]);

  // a file of such documents only is moved as the same blob
  expect(tree.get('unmanaged/wiring/installer.yaml')!.blobId).toBe(blobId(Buffer.from(WIRING_ONLY)));
  expect(parse(text('unmanaged/wiring/installer.yaml.reason.yaml')).reasons.map((r: any) => r.message)).toEqual([
    'kind Server is not managed by this fabric',
    'kind SwitchGroup is not managed by this fabric',
  ]);

  // the database says the same
  const rows = (await env.store.listUnmanaged(fabric)).items;
  expect(rows.map(r => [r.path, r.originalPath, r.reasons.map(x => x.message)])).toEqual([
    ['unmanaged/mixed.yaml', 'raw/mixed.yaml', ['kind Server is not managed by this fabric', 'kind SwitchGroup is not managed by this fabric']],
    ['unmanaged/wiring/installer.yaml', 'raw/wiring/installer.yaml', ['kind Server is not managed by this fabric', 'kind SwitchGroup is not managed by this fabric']],
  ]);
  const resources = (await env.store.listResources(fabric, { offset: 0, limit: 100 })).items;
  expect(resources.map(r => `${r.kind}/${r.name}`)).toEqual(['VPC/v1']);

  // stable: a forced second sync commits nothing
  const before = (await commits(repo)).length;
  expect((await env.sync(fabric, { force: true })).status).toBe('succeeded');
  expect((await commits(repo)).length).toBe(before);
}

describe('section 20.12: raw documents of kinds outside the fabric\'s scope', () => {
  it(
    'a fabric of the day2 kinds (its manifest) keeps them in unmanaged/ with the reason, and manages its own kinds',
    summary.track('scope day2 from the manifest', () => verifyCase('day2')),
  );
  it(
    'a fabric of the kinds of app-config (over its manifest) keeps them in unmanaged/ with the reason, and manages its own kinds',
    summary.track('kinds [VPC] from app-config over the manifest\'s wiring', () => verifyCase('vpcs')),
  );
});
