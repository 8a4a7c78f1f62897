/*
 * Where a cold sync allocates: V8's sampling heap profiler over syncs of W5k
 * fabrics, counting every sampled allocation, also those collected since (what
 * the garbage collector must deal with, not only what stays).
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs test/bench/allocations.ts <scratch-dir> [fabrics=2] [top=40]
 */
import { promises as fs } from 'fs';
import inspector from 'inspector';
import path from 'path';
import { generate } from './lib/generate';
import { createProduct, fabricConfig } from './lib/product';
import { makeRepo } from './lib/util';

type Node = {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: Node[];
};

function post<T>(s: inspector.Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) =>
    s.post(method, params ?? {}, (e, r) => (e ? reject(e) : resolve(r as T))),
  );
}

const label = (f: Node['callFrame']) =>
  `${f.functionName || '(anonymous)'} ${f.url
    .replace(/^file:\/\//, '')
    .replace(/.*\/(node_modules|plugins|test)\//, '$1/')}:${f.lineNumber + 1}`;

async function main() {
  const [dir, count = '2', topArg = '40'] = process.argv.slice(2);
  const names = Array.from({ length: Number(count) }, (_, i) => `f${String(i).padStart(2, '0')}`);
  const files = names.flatMap(n =>
    generate(n).files.map(f => ({ path: `fabrics/${n}/${f.path}`, content: f.content })),
  );
  const remote = path.join(dir, 'remote.git');
  await makeRepo(remote, files);
  const product = await createProduct({
    db: 'sqlite',
    dbDir: path.join(dir, 'db'),
    workingDirectory: path.join(dir, 'wd'),
    fabrics: names.map(f => fabricConfig(f, `file://${remote}`)),
  });
  await product.sync(names[0]); // warm-up: module loading, JIT
  const session = new inspector.Session();
  session.connect();
  await post(session, 'HeapProfiler.enable');
  await post(session, 'HeapProfiler.startSampling', {
    samplingInterval: 16384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  for (const n of names.slice(1)) await product.sync(n);
  const { profile } = await post<{ profile: { head: Node } }>(session, 'HeapProfiler.stopSampling');
  const self = new Map<string, number>();
  const product_ = new Map<string, number>();
  let total = 0;
  const walk = (n: Node, stack: string[]) => {
    const l = label(n.callFrame);
    const s = [...stack, l];
    if (n.selfSize) {
      total += n.selfSize;
      self.set(l, (self.get(l) ?? 0) + n.selfSize);
      // the innermost frame of the product
      const own = [...s].reverse().find(x => x.includes('plugins/')) ?? '(outside the product)';
      product_.set(own, (product_.get(own) ?? 0) + n.selfSize);
    }
    for (const c of n.children) walk(c, s);
  };
  walk(profile.head, []);
  const top = Number(topArg);
  const mb = (b: number) => (b / 1048576).toFixed(1).padStart(7);
  console.log(`allocated (sampled) over ${names.length - 1} cold sync(s): ${mb(total)} MB`);
  console.log('\nby allocating function:');
  for (const [l, b] of [...self].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`${mb(b)} MB  ${l}`);
  console.log('\nby innermost product function:');
  for (const [l, b] of [...product_].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`${mb(b)} MB  ${l}`);
  await product.close();
  await fs.rm(dir, { recursive: true, force: true });
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
