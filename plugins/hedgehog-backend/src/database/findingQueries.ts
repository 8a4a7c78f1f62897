import {
  BLOCKING_WARNING_RULES,
  FindingGroup,
  FindingsFilter,
  FindingsPage,
  FindingsSummary,
  HYDRATION_RULE_PREFIX,
  ListedFinding,
  withBlocksApply,
} from '@fabric-gitops/plugin-hedgehog-common';
import { Knex } from 'knex';
import { CurrentFinding, StateFinding, diffFindings } from './findingHistory';
import type { FindingScope } from './HedgehogStore';
import { BATCH, FINDINGS } from './tables';

/* The findings history of each fabric (hedgehog_findings): written by imports, read by the findings API. */

/**
 * How many imports back a state's findings stay listed in full: the rows an import
 * closed are deleted after this many more imports. A run that imported longer ago
 * lists what its record kept (see RunRecord.findings).
 */
export const FINDING_IMPORTS_KEPT = 20;

/** Closed rows are deleted every this many imports (so a fabric holds at most the last 30 imports' closed rows). */
const PRUNE_EVERY = 10;


/**
 * Records the findings of the state an import writes at `generation`, in the
 * import's transaction: rows of unchanged findings stay, changed and new ones are
 * opened, gone ones closed (see diffFindings), and closed rows older than the
 * imports kept are deleted. The caller records `generation` as the fabric's
 * findings_generation in the same transaction. `previousKnown`: whether the findings of the previous
 * import were recorded (false for a fabric imported before findings were kept).
 */
export async function recordFindings(
  tx: Knex.Transaction,
  fabric: string,
  generation: number,
  findings: StateFinding[],
  previousKnown: boolean,
) {
  const rows = await tx(FINDINGS)
    .where({ fabric })
    .whereNull('closed')
    .select('id', 'severity', 'rule', 'file', 'document', 'path', 'message', 'left_out', 'kind', 'name', 'first_seen');
  const previous: CurrentFinding[] = rows.map(r => ({ ...toFinding(r), id: Number(r.id), firstSeen: Number(r.first_seen) }));
  const changes = diffFindings(previous, findings, generation, previousKnown);
  for (let i = 0; i < changes.close.length; i += BATCH) {
    await tx(FINDINGS).whereIn('id', changes.close.slice(i, i + BATCH)).update({ closed: generation });
  }
  const inserts = changes.open.map(({ finding: f, firstSeen }) => ({
    fabric,
    severity: f.severity,
    rule: f.rule,
    file: f.file,
    document: f.document ?? null,
    path: f.path,
    message: f.message,
    left_out: f.leftOut && f.leftOut > 0 ? Math.floor(f.leftOut) : 0,
    kind: f.resource?.kind ?? null,
    name: f.resource?.name ?? null,
    first_seen: firstSeen,
    opened: generation,
    closed: null,
  }));
  // 13 columns: batches stay below SQLite's bound on variables per statement
  for (let i = 0; i < inserts.length; i += BATCH / 2) {
    await tx(FINDINGS).insert(inserts.slice(i, i + BATCH / 2));
  }
  // every tenth import: rows closed FINDING_IMPORTS_KEPT imports ago and before (one statement fewer per sync)
  if (generation % PRUNE_EVERY === 0) {
    await tx(FINDINGS).where({ fabric }).whereNotNull('closed').andWhere('closed', '<=', generation - FINDING_IMPORTS_KEPT).delete();
  }
  return { opened: inserts.length, closed: changes.close.length, kept: changes.kept };
}

/** The rows of the scope's import that match the filter. */
function matching(db: Knex, scope: FindingScope, filter: FindingsFilter) {
  const q = db(FINDINGS)
    .where({ fabric: scope.fabric })
    .andWhere('opened', '<=', scope.generation)
    .andWhere(w => w.whereNull('closed').orWhere('closed', '>', scope.generation));
  if (filter.severity) q.andWhere({ severity: filter.severity });
  if (filter.rule) q.andWhere({ rule: filter.rule });
  if (filter.file) q.andWhere({ file: filter.file });
  if (filter.new === true) q.andWhere({ first_seen: scope.generation });
  if (filter.new === false) q.andWhereNot({ first_seen: scope.generation });
  if (filter.blocksApply === true) q.andWhere(blocking);
  if (filter.blocksApply === false) q.andWhereNot(blocking);
  return q;
}

/** The rows of findings that block an apply, as blocksApply decides from severity and rule (the rows keep no column of it). */
function blocking(w: Knex.QueryBuilder) {
  w.where({ severity: 'error' }).orWhere('rule', 'like', `${HYDRATION_RULE_PREFIX}%`);
  if (BLOCKING_WARNING_RULES.length > 0) w.orWhereIn('rule', [...BLOCKING_WARNING_RULES]);
}

/** How many findings a row stands for (findingWeight): one, or the findings a summary row says were left out. */
const WEIGHT = 'case when left_out > 0 then left_out else 1 end';

/** Exact totals of the rows a query selects: rows, and findings by severity and new, left-out ones counted. */
function totalsColumns(db: Knex, generation: number) {
  return [
    db.raw('count(*) as n'),
    db.raw(`coalesce(sum(case when severity = 'error' then ${WEIGHT} else 0 end), 0) as errors`),
    db.raw(`coalesce(sum(case when severity = 'error' then 0 else ${WEIGHT} end), 0) as warnings`),
    db.raw(`coalesce(sum(case when first_seen = ? then ${WEIGHT} else 0 end), 0) as new_findings`, [generation]),
  ];
}

function toTotals(row: any) {
  return { errors: Number(row?.errors ?? 0), warnings: Number(row?.warnings ?? 0), new: Number(row?.new_findings ?? 0) };
}

/** Newest first (new since the previous import), then errors, then by place. */
function ordered(q: Knex.QueryBuilder, generation: number) {
  return q
    .orderByRaw('case when first_seen = ? then 0 else 1 end', [generation])
    .orderByRaw(`case when severity = 'error' then 0 else 1 end`)
    .orderBy([{ column: 'file' }, { column: 'document' }, { column: 'path' }, { column: 'id' }]);
}

function toFinding(r: any): StateFinding {
  const f: StateFinding = { severity: r.severity, rule: r.rule, file: r.file, path: r.path, message: r.message };
  if (r.document !== null && r.document !== undefined) f.document = Number(r.document);
  if (Number(r.left_out) > 0) f.leftOut = Number(r.left_out);
  if (r.kind && r.name) f.resource = { kind: r.kind, name: r.name };
  return f;
}

function toListed(r: any, generation: number): ListedFinding {
  const { resource, ...finding } = withBlocksApply(toFinding(r));
  return { ...finding, new: Number(r.first_seen) === generation, ...(resource ? { resource } : {}) };
}

const LISTED = ['id', 'severity', 'rule', 'file', 'document', 'path', 'message', 'left_out', 'kind', 'name', 'first_seen'];

/** A page of the scope's findings that match the filter, with the exact totals of all that match. */
export async function listFindings(
  db: Knex,
  scope: FindingScope,
  filter: FindingsFilter,
  offset: number,
  limit: number,
): Promise<FindingsPage> {
  const [rows, [totals]] = await Promise.all([
    ordered(matching(db, scope, filter).select(LISTED), scope.generation).offset(offset).limit(limit),
    matching(db, scope, filter).select(totalsColumns(db, scope.generation)),
  ]);
  return {
    items: rows.map((r: any) => toListed(r, scope.generation)),
    totalItems: Number(totals?.n ?? 0),
    offset,
    totals: toTotals(totals),
  };
}

async function groups(db: Knex, scope: FindingScope, filter: FindingsFilter, column: 'rule' | 'file', limit: number) {
  const [rows, [{ count }]] = await Promise.all([
    matching(db, scope, filter)
      .select(`${column} as group_key`, ...totalsColumns(db, scope.generation))
      .groupBy(column)
      .orderByRaw(`sum(${WEIGHT}) desc`)
      .orderBy(column)
      .limit(limit),
    matching(db, scope, filter).countDistinct({ count: column }),
  ]);
  const items: FindingGroup[] = rows.map((r: any) => ({ key: r.group_key, ...toTotals(r) }));
  return { items, totalItems: Number(count) };
}

/**
 * The scope's findings that match the filter, counted in all, those on no resource,
 * and by rule and by file (the largest `limit` groups of each).
 */
export async function summarizeFindings(
  db: Knex,
  scope: FindingScope,
  filter: FindingsFilter,
  limit: number,
): Promise<FindingsSummary> {
  const [[totals], [outside], byRule, byFile] = await Promise.all([
    matching(db, scope, filter).select(totalsColumns(db, scope.generation)),
    // on no resource: the resources list does not count them
    matching(db, scope, filter).whereNull('kind').select(totalsColumns(db, scope.generation)),
    groups(db, scope, filter, 'rule', limit),
    groups(db, scope, filter, 'file', limit),
  ]);
  const { errors, warnings } = toTotals(outside);
  return { totals: toTotals(totals), outsideResources: { errors, warnings }, byRule, byFile };
}

/**
 * Every finding of the scope that matches the filter, in pages of `batch`, in the
 * order of the list. The scope's rows never change (an import only closes rows of
 * the current state and opens new ones), so the pages fit together also while an
 * import runs.
 */
export async function* streamFindings(
  db: Knex,
  scope: FindingScope,
  filter: FindingsFilter,
  batch = 1000,
): AsyncGenerator<ListedFinding[]> {
  for (let offset = 0; ; offset += batch) {
    const rows = await ordered(matching(db, scope, filter).select(LISTED), scope.generation).offset(offset).limit(batch);
    if (rows.length > 0) yield rows.map((r: any) => toListed(r, scope.generation));
    if (rows.length < batch) return;
  }
}
