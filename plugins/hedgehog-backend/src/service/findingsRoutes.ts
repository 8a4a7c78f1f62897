import { countFindings, FindingsFilter, FindingsPage, ListedFinding, withBlocksApply } from '@fabric-gitops/plugin-hedgehog-common';
import express from 'express';
import { once } from 'events';
import { z } from 'zod';
import { FindingScope, HedgehogStore, RunRecord } from '../database/HedgehogStore';
import { RouteAudit } from './audit';
import { CSV_HEADER, csvLine, jsonItem } from './findingsExport';
import { pageQuery, parse } from './requestInput';

export interface FindingRoutesOptions {
  store: HedgehogStore;
  audit: RouteAudit;
  /** The fabric of the path, once the caller may read it (else the request fails). */
  readableFabric(req: express.Request): Promise<string>;
  /** The run of the path, once the caller may read its fabric (else the request fails). */
  readableRun(req: express.Request): Promise<RunRecord>;
}

const filterQuery = z.object({
  severity: z.enum(['error', 'warning']).optional(),
  rule: z.string().min(1).max(64).optional(),
  file: z.string().min(1).max(1024).optional(),
  new: z.enum(['true', 'false']).transform(v => v === 'true').optional(),
  blocksApply: z.enum(['true', 'false']).transform(v => v === 'true').optional(),
});
const listQuery = pageQuery.merge(filterQuery);
const summaryQuery = filterQuery.extend({ groups: z.coerce.number().int().min(1).max(500).default(50) });
const exportQuery = filterQuery.extend({ format: z.enum(['csv', 'json']).default('csv') });

const NO_TOTALS = { errors: 0, warnings: 0, new: 0 };

/**
 * The findings API: a fabric's current findings (its last import) paged and
 * filtered with exact totals, counted by rule and by file, exported as CSV or
 * JSON; and one run's findings, paged the same way.
 */
export function addFindingRoutes(router: express.Router, options: FindingRoutesOptions) {
  const { store, audit } = options;

  router.get('/fabrics/:fabric/findings', audit('fabric-read', 'low', 'findings'), async (req, res) => {
    const fabric = await options.readableFabric(req);
    const { offset, limit, ...filter } = parse(listQuery, req.query, 'query');
    const scope = await store.currentFindings(fabric);
    res.json(scope ? await store.listFindings(scope, filter, offset, limit) : await unrecorded(store, fabric, offset));
  });

  router.get('/fabrics/:fabric/findings/summary', audit('fabric-read', 'low', 'findings-summary'), async (req, res) => {
    const fabric = await options.readableFabric(req);
    const { groups, ...filter } = parse(summaryQuery, req.query, 'query');
    const scope = await store.currentFindings(fabric);
    const none = { items: [], totalItems: 0 };
    res.json(
      scope
        ? await store.summarizeFindings(scope, filter, groups)
        : { totals: NO_TOTALS, outsideResources: { errors: 0, warnings: 0 }, byRule: none, byFile: none },
    );
  });

  router.get('/fabrics/:fabric/findings/export', audit('fabric-read', 'low', 'findings-export'), async (req, res) => {
    const fabric = await options.readableFabric(req);
    const { format, ...filter } = parse(exportQuery, req.query, 'query');
    const scope = await store.currentFindings(fabric);
    await writeExport(res, store, fabric, scope, filter, format);
  });

  router.get('/runs/:id/findings', audit('fabric-read', 'low', 'run-findings'), async (req, res) => {
    const run = await options.readableRun(req);
    const { offset, limit, ...filter } = parse(listQuery, req.query, 'query');
    const scope = await store.runFindings(run);
    if (scope) {
      res.json({ ...(await store.listFindings(scope, filter, offset, limit)), complete: true });
    } else {
      res.json(recordedRunFindings(run, filter, offset, limit));
    }
  });
}

/** The findings list of a fabric whose findings were not recorded yet (never synced, or imported before they were kept). */
async function unrecorded(store: HedgehogStore, fabric: string, offset: number): Promise<FindingsPage> {
  const state = await store.getFabricState(fabric);
  return { items: [], totalItems: 0, offset, totals: NO_TOTALS, ...(state?.importGeneration ? { complete: false } : {}) };
}

/**
 * A run's findings from its own record: a run that did not import (a dry run, one
 * that failed or was refused), or whose import is older than the imports kept.
 * The record keeps the first MAX_RUN_FINDINGS; whether they are new is not known.
 */
export function recordedRunFindings(run: RunRecord, filter: FindingsFilter, offset: number, limit: number): FindingsPage {
  const kept = run.findings.map(withBlocksApply).filter(
    f =>
      (!filter.severity || f.severity === filter.severity) &&
      (!filter.rule || f.rule === filter.rule) &&
      (!filter.file || f.file === filter.file) &&
      (filter.blocksApply === undefined || f.blocksApply === filter.blocksApply) &&
      filter.new !== true,
  );
  const filtered = Boolean(
    filter.severity || filter.rule || filter.file || filter.new !== undefined || filter.blocksApply !== undefined,
  );
  // unfiltered, the run's own totals count every finding, also those the record did not keep
  const totals = !filtered && run.findingTotals ? run.findingTotals : countFindings(kept);
  const all = countFindings(run.findings);
  const items: ListedFinding[] = kept.slice(offset, offset + limit).map(f => ({ ...f, new: false }));
  return {
    items,
    totalItems: kept.length,
    offset,
    totals: { errors: totals.errors, warnings: totals.warnings, new: 0 },
    complete: all.errors + all.warnings >= run.findingCount,
  };
}

/** Streams every finding of the scope that matches, as CSV or JSON, page by page (backpressure kept). */
async function writeExport(
  res: express.Response,
  store: HedgehogStore,
  fabric: string,
  scope: FindingScope | undefined,
  filter: FindingsFilter,
  format: 'csv' | 'json',
) {
  res.status(200);
  res.setHeader('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${fabric}-findings.${format}"`);
  res.setHeader('Cache-Control', 'no-store');
  const write = async (text: string) => {
    if (!res.write(text)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
  };
  const totals = scope ? (await store.listFindings(scope, filter, 0, 1)).totals : NO_TOTALS;
  if (format === 'csv') await write(CSV_HEADER);
  else await write(`{"fabric":${JSON.stringify(fabric)},"totals":${JSON.stringify(totals)},"findings":[`);
  let first = true;
  if (scope) {
    for await (const page of store.streamFindings(scope, filter)) {
      if (res.destroyed) return; // the client went away
      if (format === 'csv') {
        await write(page.map(csvLine).join(''));
      } else {
        await write(`${first ? '' : ','}\n${page.map(jsonItem).join(',\n')}`);
        first = false;
      }
    }
  }
  if (format === 'json') await write('\n]}\n');
  res.end();
}
