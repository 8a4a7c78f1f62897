/* Offline validation of W5k (all layers: YAML, classification, schema, per-kind, fabric-wide and references). */
import http from 'http';
import path from 'path';
import { classifyDocument } from '@fabric-gitops/plugin-hedgehog-common';
import { parseYamlFile } from '../../../plugins/hedgehog-backend/src/gitops/parse';
import {
  FabricDocument,
  validateFabric,
} from '../../../plugins/hedgehog-backend/src/validation/validateFabric';
import { parseText } from '../lib/floors';
import { createProduct, fabricConfig, startApi } from '../lib/product';
import { figure } from '../lib/report';
import { log, measured, timed } from '../lib/util';
import { BenchContext } from './sync';

/** What POST /validate does with its files, as a function (router.ts). */
function validateFiles(files: Array<{ path: string; content: string }>) {
  const documents: FabricDocument[] = [];
  for (const file of files) {
    const parsed = parseYamlFile(Buffer.from(file.content, 'utf8'));
    if (!parsed.ok) throw new Error(parsed.reason);
    for (const d of parsed.documents) {
      if (d.empty || d.error !== undefined) continue;
      if (classifyDocument(d.value).type === 'empty') continue;
      documents.push({ file: file.path, document: d.index, object: d.value });
    }
  }
  return validateFabric(documents);
}

function post(
  url: string,
  body: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', headers: { 'Content-Type': 'application/json' } },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', d => chunks.push(d));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export async function validateFigures(ctx: BenchContext) {
  const files = ctx.fabric.files.map(f => ({
    path: f.path,
    content: f.content,
  }));
  const product: number[] = [];
  const floor: number[] = [];
  const productCpu: number[] = [];
  const floorCpu: number[] = [];
  // one untimed round each (JIT), then the measured runs, alternating
  validateFiles(files);
  for (const f of files) parseText(f.content);
  for (let i = 0; i < ctx.reps; i++) {
    const p = await measured(() => validateFiles(files));
    if (!p.value.valid || p.value.findings.length > 0)
      throw new Error(
        `W5k is not valid: ${JSON.stringify(p.value.findings.slice(0, 3))}`,
      );
    product.push(p.ms);
    productCpu.push(p.cpu);
    const f = await measured(() => files.forEach(x => parseText(x.content)));
    floor.push(f.ms);
    floorCpu.push(f.cpu);
  }

  // the same through the HTTP API (POST /validate)
  const api = await createProduct({
    db: 'sqlite',
    dbDir: path.join(ctx.root, 'validate-db'),
    workingDirectory: path.join(ctx.root, 'validate-wd'),
    fabrics: [fabricConfig('unused', 'file:///nonexistent')],
  });
  const server = await startApi(api);
  const body = JSON.stringify({ files });
  const httpRuns: number[] = [];
  try {
    for (let i = 0; i <= ctx.reps; i++) {
      const r = await timed(() => post(`${server.url}/validate`, body));
      if (r.value.status !== 200 || !JSON.parse(r.value.body).valid)
        throw new Error(
          `POST /validate: ${r.value.status} ${r.value.body.slice(0, 300)}`,
        );
      if (i > 0) httpRuns.push(r.ms);
    }
  } finally {
    await server.stop();
    await api.close();
  }
  const fig = figure({
    id: 'validate',
    title: 'validation of W5k (all layers, offline)',
    unit: 'ms',
    productRuns: product,
    floorRuns: floor,
    productCpu,
    floorCpu,
    floorWhat: 'parse of W5k',
    details: { postValidateMs: httpRuns, bytes: ctx.fabric.bytes },
  });
  ctx.figures.push(fig);
  log(
    `validation: product ${fig.product.toFixed(
      0,
    )} ms, floor ${fig.floor!.toFixed(0)} ms, POST /validate ${httpRuns
      .map(x => x.toFixed(0))
      .join('/')} ms`,
  );
}
