// Follows docs/install.md in an app: runs its fenced blocks marked for the check,
// in order — ```sh step (run with bash at the app's root) and
// ```<lang> file=<path> mode=before:<line> (the block inserted before that line of the file).
//   node followGuide.mjs <guide.md> <app dir>
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const [guide, appDir] = process.argv.slice(2);
const text = readFileSync(guide, 'utf8');
const fence = /^```([^\n]*)\n([\s\S]*?)^```$/gm;
let steps = 0;
for (const m of text.matchAll(fence)) {
  const [lang, ...attrs] = m[1].trim().split(/\s+/);
  const body = m[2];
  const line = text.slice(0, m.index).split('\n').length;
  const where = `${guide}:${line}`;
  if (lang === 'sh' && attrs.includes('step')) {
    console.log(`== ${where}: sh\n${body}`);
    execFileSync('bash', ['-euo', 'pipefail', '-c', body], { cwd: appDir, stdio: 'inherit' });
    steps++;
    continue;
  }
  const opts = Object.fromEntries(
    attrs.filter(a => a.includes('=')).map(a => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]),
  );
  if (!opts.file) continue;
  const file = path.join(appDir, opts.file);
  const before = /^before:(.+)$/.exec(opts.mode ?? '')?.[1];
  if (!before) throw new Error(`${where}: mode must be before:<line>, is ${opts.mode}`);
  const content = readFileSync(file, 'utf8');
  const at = content.indexOf(before);
  if (at < 0) throw new Error(`${where}: ${opts.file} has no line "${before}"`);
  console.log(`== ${where}: ${opts.file} (before "${before}")`);
  writeFileSync(file, `${content.slice(0, at)}${body}\n${content.slice(at)}`);
  steps++;
}
if (steps === 0) throw new Error(`${guide}: no steps marked for the check`);
console.log(`followed ${steps} steps of ${guide}`);
