// Follows docs/install.md in an app: runs its fenced blocks marked for the check, in order.
// Info strings (values with spaces in double quotes):
//   ```sh step                                   run with bash at the app's root
//   ```<lang> file=<path> mode=before:<text>     the block inserted before the first line holding <text>
//   ```<lang> file=<path> mode=replace:<text>    the block replaces the first line holding <text>
//   ```<lang> file=<path> mode=append            the block appended to the file (created when missing)
//   ```<lang> file=<path> mode=create            a new file (an error if it exists)
// and, on any of them, app=new or app=legacy: only for an app of that frontend system.
// --replace <from>=<to> (repeatable) stands in for an adopter's own values in the blocks, e.g. the
// guide's example repository URL by the check's local repository.
//   node followGuide.mjs <guide.md> <app dir> [--app new|legacy] [--replace from=to ...]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const args = process.argv.slice(2);
const [guide, appDir] = args;
let app = 'new';
const replacements = [];
for (let i = 2; i < args.length; i += 2) {
  if (args[i] === '--app') app = args[i + 1];
  else if (args[i] === '--replace') {
    const at = args[i + 1].indexOf('=');
    replacements.push([args[i + 1].slice(0, at), args[i + 1].slice(at + 1)]);
  } else throw new Error(`unknown argument ${args[i]}`);
}
if (!['new', 'legacy'].includes(app)) throw new Error(`--app must be new or legacy, is ${app}`);

const text = readFileSync(guide, 'utf8');
const fence = /^```([^\n]*)\n([\s\S]*?)^```$/gm;
const attribute = /(\w+)=((?:[^\s"]|"[^"]*")+)/g;
let steps = 0;
for (const m of text.matchAll(fence)) {
  const lang = m[1].trim().split(/\s+/)[0];
  const opts = Object.fromEntries(
    [...m[1].matchAll(attribute)].map(a => [a[1], a[2].replace(/"/g, '')]),
  );
  const line = text.slice(0, m.index).split('\n').length;
  const where = `${guide}:${line}`;
  if (opts.app && opts.app !== app) continue;
  const body = replacements.reduce((b, [from, to]) => b.split(from).join(to), m[2]);
  if (lang === 'sh' && /\sstep(\s|$)/.test(` ${m[1]} `)) {
    console.log(`== ${where}: sh\n${body}`);
    execFileSync('bash', ['-euo', 'pipefail', '-c', body], { cwd: appDir, stdio: 'inherit' });
    steps++;
    continue;
  }
  if (!opts.file) continue;
  const file = path.join(appDir, opts.file);
  const mode = opts.mode ?? '';
  console.log(`== ${where}: ${opts.file} (${mode})`);
  if (mode === 'create') {
    if (existsSync(file)) throw new Error(`${where}: ${opts.file} exists already`);
    writeFileSync(file, body);
  } else if (mode === 'append') {
    const content = existsSync(file) ? readFileSync(file, 'utf8') : '';
    writeFileSync(file, `${content}${content && !content.endsWith('\n') ? '\n' : ''}${body}`);
  } else {
    const edit = /^(before|replace):(.+)$/.exec(mode);
    if (!edit) throw new Error(`${where}: mode must be before:, replace:, append or create, is ${mode}`);
    const content = readFileSync(file, 'utf8');
    const at = content.indexOf(edit[2]);
    if (at < 0) throw new Error(`${where}: ${opts.file} has no line holding "${edit[2]}"`);
    const start = content.lastIndexOf('\n', at) + 1;
    const eol = content.indexOf('\n', at);
    const end = eol < 0 ? content.length : eol + 1;
    writeFileSync(
      file,
      edit[1] === 'before'
        ? `${content.slice(0, start)}${body}${content.slice(start)}`
        : `${content.slice(0, start)}${body}${content.slice(end)}`,
    );
  }
  steps++;
}
if (steps === 0) throw new Error(`${guide}: no steps marked for the check`);
console.log(`followed ${steps} steps of ${guide} (${app} frontend system)`);
