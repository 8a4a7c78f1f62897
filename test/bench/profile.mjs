#!/usr/bin/env node
/*
 * Summarizes a V8 .cpuprofile (from `npm run bench -- --profile`): the functions
 * with the most self time, and the product's own functions (plugins/) with the
 * most inclusive time.
 *
 *   node test/bench/profile.mjs <file.cpuprofile> [top=25] [filter]
 */
import fs from 'node:fs';

const [file, topArg = '25', filter] = process.argv.slice(2);
if (!file) {
  console.error('usage: profile.mjs <file.cpuprofile> [top=25] [filter]');
  process.exit(2);
}
const top = Number(topArg);
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map(n => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes)
  for (const c of n.children ?? []) parent.set(c, n.id);

// sample time per node
const dt = new Map();
const { samples, timeDeltas } = profile;
for (let i = 0; i < samples.length; i++)
  dt.set(samples[i], (dt.get(samples[i]) ?? 0) + (timeDeltas[i] ?? 0) / 1000);
const total = [...dt.values()].reduce((a, b) => a + b, 0);

const label = n => {
  const f = n.callFrame;
  const url = f.url
    .replace(/^file:\/\//, '')
    .replace(/.*\/(node_modules|plugins|test)\//, '$1/');
  return `${f.functionName || '(anonymous)'} ${url}:${f.lineNumber + 1}`;
};

const self = new Map();
const inclusive = new Map();
for (const [id, ms] of dt) {
  const n = nodes.get(id);
  const l = label(n);
  self.set(l, (self.get(l) ?? 0) + ms);
  // inclusive: each distinct frame on the stack once
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const cl = label(nodes.get(cur));
    if (seen.has(cl)) continue;
    seen.add(cl);
    inclusive.set(cl, (inclusive.get(cl) ?? 0) + ms);
  }
}
const show = (title, map, pred = () => true) => {
  console.log(`\n${title}`);
  for (const [l, ms] of [...map]
    .filter(([name]) => pred(name))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)) {
    console.log(
      `${ms.toFixed(0).padStart(8)} ms ${((100 * ms) / total)
        .toFixed(1)
        .padStart(5)}%  ${l}`,
    );
  }
};
console.log(`${file}: ${(total / 1000).toFixed(1)} s sampled`);
show('self time', self, l => !filter || l.includes(filter));
show(
  'inclusive time, product code (plugins/)',
  inclusive,
  l => l.includes('plugins/') && (!filter || l.includes(filter)),
);
