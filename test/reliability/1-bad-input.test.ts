/*
 * Section 1 — bad input: nothing crashes, nothing is lost.
 *
 * Every case of the corpus (lib/corpus/) is pushed into raw/ of its own fabric
 * (its own bare repository), and the real backend plugin (startTestBackend, real
 * SQLite, real Git) syncs them all through the HTTP API while a poller checks the
 * backend answers. Then, per case: the run ended (succeeded or partial), the
 * reason is on the run and in unmanaged/<file>.reason.yaml (and in the database,
 * through GET /unmanaged), and every input byte is still in the repository,
 * document by document — as normalized resources in managed/ carrying their
 * comments, as the original text in unmanaged/ (a whole file as the same blob),
 * or, for conflicts, as the original text in raw/. Symlinks pointing outside are
 * never followed.
 */
import { HEDGEHOG_KINDS } from '@fabric-gitops/plugin-hedgehog-common';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { commitCount, createBareRepo, pushFiles } from '../servers';
import { startHedgehogBackend, TestBackend } from './lib/backend';
import { BadInputCase, badInputCorpus, Outcome } from './lib/corpus';
import { anyObjectContains, blobId, fabricTree, readBlobs } from './lib/repo';
import { SectionSummary } from './lib/summary';

jest.setTimeout(240_000);

const summary = new SectionSummary('section 1 (bad input: raw files synced, nothing crashes, nothing lost)');
const FABRIC_DIR = 'fabric';
const OUTSIDE_CANARY = `OUTSIDE-THE-REPOSITORY-${process.pid}-${Date.now()}`;
const root = path.join(os.tmpdir(), `hedgehog-rel-bad-input-${process.pid}`);
const outsideFile = path.join(root, 'outside', 'secret.txt');
const corpus = badInputCorpus(outsideFile);
const fabricName = (i: number) => `bad-${String(i + 1).padStart(2, '0')}`;

interface Outcome1 {
  repo: string;
  run?: any;
  error?: string;
  commitsBefore: number;
}

let backend: TestBackend;
const outcomes = new Map<number, Outcome1>();
const health = { checks: 0, failures: [] as string[], maxLatencyMs: 0 };

async function mapLimit<T>(items: T[], limit: number, fn: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}

beforeAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
  await fs.mkdir(path.dirname(outsideFile), { recursive: true });
  await fs.writeFile(outsideFile, `${OUTSIDE_CANARY}\n`);

  // One repository per case, prepared in parallel.
  await mapLimit(corpus, 4, async (c, i) => {
    const repo = await createBareRepo(path.join(root, `${fabricName(i)}.git`));
    const files = Object.fromEntries(Object.entries(c.files).map(([p, v]) => [`${FABRIC_DIR}/${p}`, v]));
    const symlinks = Object.fromEntries(Object.entries(c.symlinks ?? {}).map(([p, v]) => [`${FABRIC_DIR}/${p}`, v]));
    await pushFiles(`file://${repo}`, files, { symlinks, message: `user: ${c.title}` });
    outcomes.set(i, { repo, commitsBefore: await commitCount(repo) });
  });

  backend = await startHedgehogBackend({
    workingDirectory: path.join(root, 'work'),
    fabrics: corpus.map((_, i) => ({
      name: fabricName(i),
      git: { url: `file://${outcomes.get(i)!.repo}`, branch: 'main', path: FABRIC_DIR },
    })),
  });

  // The backend must keep answering while it chews through the corpus.
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const t0 = Date.now();
      try {
        const res = await backend.get('/fabrics').timeout(20_000);
        if (res.status !== 200) health.failures.push(`GET /fabrics -> ${res.status}`);
      } catch (e) {
        health.failures.push(`GET /fabrics: ${e}`);
      }
      health.checks++;
      health.maxLatencyMs = Math.max(health.maxLatencyMs, Date.now() - t0);
      await new Promise(r => setTimeout(r, 200));
    }
  })();

  try {
    await mapLimit(corpus, 3, async (_c, i) => {
      const o = outcomes.get(i)!;
      try {
        const res = await backend.post(`/fabrics/${fabricName(i)}/sync`);
        if (res.status !== 202) throw new Error(`POST sync -> ${res.status} ${JSON.stringify(res.body)}`);
        o.run = await backend.waitForRun(res.body.runId, 120_000);
      } catch (e) {
        o.error = String(e);
      }
    });
  } finally {
    polling = false;
    await poller;
  }
});

afterAll(async () => {
  await backend?.stop();
  await fs.rm(root, { recursive: true, force: true });
});

const kindOf = (k: string) => HEDGEHOG_KINDS.find(x => x.kind === k);

/** The documents a raw file defines, read independently of the product's parser. */
function documentsOf(bytes: Buffer): Array<Record<string, any>> {
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return parseAllDocuments(text)
    .map(d => d.toJS())
    .filter(v => v && typeof v === 'object');
}

/** The texts of a file's documents, split before each `---` line (independently of any YAML parser). */
function documentTexts(bytes: Buffer): string[] {
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.split(/(?=^---[ \t]*\r?$)/m);
}

/** The comments of a document's text: whole comment lines, and comments after a value on lines without quotes. */
function commentsIn(text: string): string[] {
  return text.split('\n').flatMap(raw => {
    const line = raw.replace(/\r$/, '');
    if (/^\s*#/.test(line)) return [line.trim()];
    const after = /\s(#.*)$/.exec(line);
    return after && !/["']/.test(line) ? [after[1]] : [];
  });
}

/** The one document of a text as an object, or undefined (not an object, or not readable). */
function readDocument(part: string): Record<string, any> | undefined {
  try {
    const docs = parseAllDocuments(part.replace(/^\ufeff/, ''));
    const value = docs.length === 1 && docs[0].errors.length === 0 ? docs[0].toJS() : undefined;
    return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The defining content of a resource, as the sync is allowed to normalize it. */
function essence(o: Record<string, any>) {
  const labels = o.metadata?.labels ?? {};
  return { kind: o.kind, name: o.metadata?.name, labels, spec: o.spec ?? {} };
}

async function verifyCase(c: BadInputCase, i: number) {
  const name = fabricName(i);
  const o = outcomes.get(i)!;
  expect(o.error).toBeUndefined();
  const run = o.run;
  // the run ended, and not in failure
  expect([run.status, run.error]).toEqual([expect.stringMatching(/^(succeeded|partial)$/), run.status === 'failed' ? 'no error' : run.error]);
  expect(run.finishedAt).toBeTruthy();

  const tree = await fabricTree(o.repo, FABRIC_DIR);
  const blobs = await readBlobs(o.repo, [...tree.values()].map(e => e.blobId));
  const text = (p: string) => blobs.get(tree.get(p)!.blobId)!;
  const reasonFiles = new Map<string, any>();
  for (const p of tree.keys()) {
    if (p.startsWith('unmanaged/') && p.endsWith('.reason.yaml')) reasonFiles.set(p, parseYaml(text(p).toString('utf8')));
  }
  const unmanagedApi = await backend.get(`/fabrics/${name}/unmanaged`);
  expect(unmanagedApi.status).toBe(200);
  const findings: any[] = run.findings ?? [];
  const reported = (file: string, reason: RegExp) => findings.some(f => f.file === file && reason.test(f.message));

  const managedFile = (kind: string, resourceName: string) => {
    const k = kindOf(kind);
    expect(k).toBeDefined();
    const p = `managed/${k!.plural}/${resourceName}.yaml`;
    expect(tree.has(p)).toBe(true);
    return parseYaml(text(p).toString('utf8'));
  };

  const rawInputs: Array<[string, Buffer, string]> = [
    ...Object.entries(c.files)
      .filter(([p]) => p.startsWith('raw/'))
      .map(([p, v]): [string, Buffer, string] => [p, Buffer.isBuffer(v) ? v : Buffer.from(v), '100644']),
    ...Object.entries(c.symlinks ?? {}).map(([p, t]): [string, Buffer, string] => [p, Buffer.from(t), '120000']),
  ];
  /** Where a raw file's kept bytes are: its entry in unmanaged/ (the reason file's source is the raw file). */
  const keptOf = (p: string) => {
    const entry = [...reasonFiles.entries()].find(([, r]) => r.source === p);
    if (!entry) return undefined;
    const [reasonPath, reason] = entry;
    const kept = reasonPath.slice(0, -'.reason.yaml'.length);
    return { path: kept, reason, entry: tree.get(kept) };
  };
  const checkReasons = (p: string, reasonPattern: RegExp) => {
    const kept = keptOf(p);
    expect([p, kept !== undefined]).toEqual([p, true]);
    expect(kept!.path.startsWith('unmanaged/')).toBe(true);
    expect([p, kept!.reason.reasons.some((r: any) => reasonPattern.test(r.message))]).toEqual([p, true]);
    expect([p, reported(p, reasonPattern)]).toEqual([p, true]);
    const row = unmanagedApi.body.items.find((u: any) => u.path === kept!.path);
    expect([p, row?.originalPath]).toEqual([p, p]);
    expect(row.reasons.some((r: any) => reasonPattern.test(r.message))).toBe(true);
    return kept!;
  };
  const checkManaged = (p: string, bytes: Buffer, refs: string[]) => {
    const documents = documentsOf(bytes);
    for (const ref of refs) {
      const [kind, resourceName] = ref.split('/');
      const written = managedFile(kind, resourceName);
      const source = documents.find(d => d.kind === kind && d.metadata?.name === resourceName)!;
      expect([p, ref, isDeepStrictEqual(essence(written), essence(source))]).toEqual([p, ref, true]);
    }
  };
  /**
   * Every byte of the input is accounted for, document by document: a managed
   * document is in its managed file with all its comments; any other document's
   * text is, as written, in one of `keptTexts`; a part of only comments is in
   * the managed files or kept texts.
   */
  const checkEveryByte = (p: string, bytes: Buffer, keptTexts: string[]) => {
    const parts = documentTexts(bytes);
    const hasContent = (part: string) => /^(?!\s*(#|---|$)).+/m.test(part);
    const managedTexts: string[] = [];
    for (const part of parts.filter(hasContent)) {
      const doc = readDocument(part);
      const k = doc ? kindOf(doc.kind) : undefined;
      const managedPath = k && typeof doc!.metadata?.name === 'string' ? `managed/${k.plural}/${doc!.metadata.name}.yaml` : '';
      const managedText = tree.has(managedPath) ? text(managedPath).toString('utf8') : undefined;
      if (managedText !== undefined && isDeepStrictEqual(essence(parseYaml(managedText)), essence(doc!))) {
        managedTexts.push(managedText);
        for (const comment of commentsIn(part)) {
          expect([p, managedPath, comment, managedText.includes(comment)]).toEqual([p, managedPath, comment, true]);
        }
      } else {
        expect([p, part, keptTexts.some(t => t.includes(part))]).toEqual([p, part, true]);
      }
    }
    // parts of only comments: somewhere among what this file became
    for (const part of parts.filter(t => !hasContent(t))) {
      for (const comment of commentsIn(part)) {
        expect([p, comment, [...managedTexts, ...keptTexts].some(t => t.includes(comment))]).toEqual([p, comment, true]);
      }
    }
  };

  for (const [p, bytes, mode] of rawInputs) {
    const exp: Outcome = c.expect[p];
    expect([p, exp]).toEqual([p, expect.anything()]);
    const id = blobId(bytes);
    if (exp.type === 'conflict') {
      // left in raw/ byte for byte, the run is partial and says why
      expect([p, tree.get(p)]).toEqual([p, { mode, blobId: id }]);
      expect([p, reported(p, exp.reason)]).toEqual([p, true]);
      expect(run.status).toBe('partial');
      continue;
    }
    if (exp.type === 'held') {
      // still in raw/, holding only its documents in conflict, as written
      const held = tree.get(p);
      expect([p, held !== undefined && held.blobId !== id]).toEqual([p, true]);
      expect([p, reported(p, exp.reason)]).toEqual([p, true]);
      expect(run.status).toBe('partial');
      checkManaged(p, bytes, exp.managed);
      const heldText = text(p).toString('utf8');
      const keptTexts = [heldText];
      if (exp.unmanaged) keptTexts.push(blobs.get(checkReasons(p, exp.unmanaged).entry!.blobId)!.toString('utf8'));
      // nothing but documents of the input, and only those in conflict
      for (const part of documentTexts(Buffer.from(heldText))) expect([p, bytes.toString('utf8').includes(part)]).toEqual([p, true]);
      expect(documentsOf(Buffer.from(heldText)).every(d => !exp.managed.includes(`${d.kind}/${d.metadata?.name}`))).toBe(true);
      checkEveryByte(p, bytes, keptTexts);
      continue;
    }
    // gone from raw/ ...
    expect([p, tree.has(p)]).toEqual([p, false]);
    if (exp.type === 'managed') {
      // ... and every document is a managed resource with the same content
      for (const doc of documentsOf(bytes)) {
        const written = managedFile(doc.kind, doc.metadata.name);
        expect(isDeepStrictEqual(essence(written), essence(doc))).toBe(true);
        expect(written.status).toBeUndefined();
        expect(written.metadata.namespace).toBe('default');
      }
      expect([...reasonFiles.values()].some(r => r.source === p)).toBe(false);
      checkEveryByte(p, bytes, []);
      continue;
    }
    const kept = checkReasons(p, exp.reason);
    if (exp.type === 'unmanaged') {
      // ... and its original bytes are in unmanaged/ (the same blob), with a reason file beside them
      expect([p, kept.entry]).toEqual([p, { mode, blobId: id }]);
      continue;
    }
    // mixed: the managed documents are managed, and only the others are kept, as written
    checkManaged(p, bytes, exp.managed);
    const keptText = blobs.get(kept.entry!.blobId)!.toString('utf8');
    expect([p, kept.entry!.blobId !== id, bytes.toString('utf8').includes(keptText)]).toEqual([p, true, true]);
    expect(documentsOf(Buffer.from(keptText)).some(d => exp.managed.includes(`${d.kind}/${d.metadata?.name}`))).toBe(false);
    expect(kept.reason.keptDocuments).toEqual(kept.reason.reasons.map((r: any) => r.index));
    checkEveryByte(p, bytes, [keptText]);
  }
  // files that must survive (an existing managed file in a conflict) keep their content
  for (const p of c.keep ?? []) {
    const original = c.files[p];
    const now = parseYaml(text(p).toString('utf8'));
    expect(isDeepStrictEqual(essence(now), essence(parseYaml(original.toString())))).toBe(true);
  }
  // at most one commit per sync, none when there was nothing to change
  const commits = await commitCount(o.repo);
  expect(commits - o.commitsBefore).toBeLessThanOrEqual(1);
  expect(run.stages.find((s: any) => s.name === 'commit')?.counts?.commits ?? 0).toBe(commits - o.commitsBefore);
  // the fabric is readable and its state is not an error
  const fabric = await backend.get(`/fabrics/${name}`);
  expect(fabric.status).toBe(200);
  expect(['in_sync', 'partial']).toContain(fabric.body.status);
}

describe('section 1: bad input', () => {
  it('has a corpus of at least 40 raw files', () => {
    const raw = corpus.flatMap(c => [...Object.keys(c.files), ...Object.keys(c.symlinks ?? {})].filter(p => p.startsWith('raw/')));
    expect(raw.length).toBeGreaterThanOrEqual(40);
  });

  corpus.forEach((c, i) => {
    it(`${fabricName(i)}: ${c.title}`, summary.track(`${fabricName(i)} ${c.title}`, () => verifyCase(c, i)));
  });

  it(
    'the backend stayed healthy during the whole corpus',
    summary.track('backend healthy during the corpus', async () => {
      // eslint-disable-next-line no-console
      console.log(`[reliability] section 1: ${health.checks} health checks during the syncs, slowest ${health.maxLatencyMs} ms`);
      expect(health.failures).toEqual([]);
      expect(health.checks).toBeGreaterThan(0);
      const res = await backend.get('/fabrics');
      expect(res.status).toBe(200);
      expect(res.body.totalItems).toBe(corpus.length);
    }),
  );

  it(
    'never followed a symlink out of the repository',
    summary.track('symlinks never followed', async () => {
      const links = corpus
        .map((c, i) => ({ c, i }))
        .filter(({ c }) => c.symlinks && Object.values(c.symlinks).some(t => t.includes(outsideFile)));
      expect(links.length).toBeGreaterThanOrEqual(2);
      for (const { i } of links) {
        const o = outcomes.get(i)!;
        expect(await anyObjectContains(o.repo, OUTSIDE_CANARY)).toBe(false);
        const api = JSON.stringify([
          (await backend.get(`/runs/${o.run.id}`)).body,
          (await backend.get(`/fabrics/${fabricName(i)}/unmanaged`)).body,
          (await backend.get(`/fabrics/${fabricName(i)}/resources?limit=500`)).body,
        ]);
        expect(api).not.toContain(OUTSIDE_CANARY);
      }
      // nor in the backend's own Git cache (every object, reachable or not)
      const cache = path.join(root, 'work', 'repos');
      for (const dir of await fs.readdir(cache)) {
        expect(await anyObjectContains(path.join(cache, dir), OUTSIDE_CANARY)).toBe(false);
      }
    }),
  );
});
