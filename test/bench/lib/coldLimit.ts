/*
 * The limit of a cold sync: what any tool that turns a fabric's raw files into one
 * commit of managed files must do, with nothing else. A bare clone; every raw file
 * read from it (`git cat-file --batch`) and parsed with the product's YAML library;
 * one file per resource serialized and streamed, as it is made, into one
 * `git fast-import` commit that also removes the raw files; the push. No work tree,
 * no `git add`, no database, no validation.
 */
import { HEDGEHOG_KINDS } from '@fabric-gitops/plugin-hedgehog-common';
import { spawn } from 'child_process';
import { parseAllDocuments, stringify } from 'yaml';
import { git, gitEnv, timed } from './util';

const PLURAL = new Map(HEDGEHOG_KINDS.map(k => [k.kind, k.plural]));

/** Blobs of a folder at `main` in a bare repository: path → contents. */
async function readFolder(bare: string, folder: string) {
  const listing = (
    await git(['ls-tree', '-r', '-z', 'main', `${folder}/`], { cwd: bare })
  )
    .toString()
    .split('\0')
    .filter(Boolean)
    .map(line => {
      const [meta, file] = line.split('\t');
      return { file, oid: meta.split(' ')[2] };
    });
  const out = await git(['cat-file', '--batch'], {
    cwd: bare,
    input: listing.map(e => `${e.oid}\n`).join(''),
  });
  const files: Array<{ file: string; text: string }> = [];
  let at = 0;
  for (const { file } of listing) {
    const eol = out.indexOf(10, at);
    const size = Number(out.subarray(at, eol).toString().split(' ')[2]);
    files.push({ file, text: out.subarray(eol + 1, eol + 1 + size).toString() });
    at = eol + 1 + size + 1;
  }
  return files;
}

/** Cold-sync limit of the fabric under `fabricDir` of `remoteUrl`, in `work` (a new folder). */
export async function coldSyncLimit(
  remoteUrl: string,
  work: string,
  fabricDir: string,
) {
  const phases: Record<string, number> = {};
  let resources = 0;
  const total = await timed(async () => {
    const clone = await timed(() =>
      git(['clone', '--bare', '--quiet', remoteUrl, work]),
    );
    phases.clone = clone.ms;
    const commit = await timed(async () => {
      const raw = await readFolder(work, `${fabricDir}/raw`);
      const fi = spawn('git', ['fast-import', '--quiet', '--done'], {
        cwd: work,
        env: gitEnv(),
        stdio: ['pipe', 'ignore', 'pipe'],
      });
      const err: Buffer[] = [];
      fi.stderr.on('data', d => err.push(d));
      const exited = new Promise<void>((resolve, reject) =>
        fi.on('close', code =>
          code === 0
            ? resolve()
            : reject(new Error(`git fast-import: ${Buffer.concat(err)}`)),
        ),
      );
      const write = (s: string) =>
        fi.stdin.write(s)
          ? Promise.resolve()
          : new Promise<void>(r => fi.stdin.once('drain', () => r()));
      const message = 'ingest';
      const when = `${Math.floor(Date.now() / 1000)} +0000`;
      await write(
        `commit refs/heads/main\ncommitter Bench <bench@example.invalid> ${when}\n` +
          `data ${Buffer.byteLength(message)}\n${message}\nfrom refs/heads/main^0\n`,
      );
      for (const { file } of raw) await write(`D ${file}\n`);
      for (const { text } of raw) {
        for (const doc of parseAllDocuments(text)) {
          const o = doc.toJS() as {
            kind: string;
            metadata: { name: string };
          };
          const body = stringify(o);
          await write(
            `M 100644 inline ${fabricDir}/managed/${PLURAL.get(o.kind)}/${
              o.metadata.name
            }.yaml\ndata ${Buffer.byteLength(body)}\n${body}\n`,
          );
          resources++;
        }
      }
      await write('\ndone\n');
      fi.stdin.end();
      await exited;
    });
    phases['read+parse+fast-import'] = commit.ms;
    const push = await timed(() =>
      git(['push', '-q', remoteUrl, 'main'], { cwd: work }),
    );
    phases.push = push.ms;
  });
  return { ms: total.ms, phases, resources };
}
