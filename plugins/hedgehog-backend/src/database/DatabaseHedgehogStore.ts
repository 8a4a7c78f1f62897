import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  DriftStatus,
  FindingsFilter,
  FindingsPage,
  FindingsSummary,
  ListedFinding,
  ListResponse,
  ResourceDetail,
  ResourceItem,
  Run,
  RunType,
  SearchResponse,
  UnmanagedFile,
} from '@fabric-gitops/plugin-hedgehog-common';
import { Knex } from 'knex';
import {
  FabricState,
  HedgehogStore,
  ApplyResultRow,
  DesiredRow,
  FindingScope,
  ImportBatch,
  ResourceFilter,
  RunPatch,
  RunRecord,
  RunRequest,
} from './HedgehogStore';
import * as findings from './findingQueries';
import { importState } from './importQueries';
import { ImportSnapshots } from './ImportSnapshots';
import { migrateLatest, migrationsDir } from './migrate';
import { useWriteAheadLog } from './sqliteJournal';
import * as resources from './resourceQueries';
import { fabricRow, toFabricState } from './rows';
import * as runs from './runQueries';
import { searchResources } from './searchQueries';
import { listTopologyResources } from './topologyQueries';
import { FABRICS, ensureFabric } from './tables';
import type { DriftEntry } from '../drift/classifyDrift';
import type { TopologyResource } from '../topology/buildTopology';


/**
 * The store on Knex: SQLite (embedded default) or PostgreSQL. The queries live
 * in runQueries (runs, queue, locks), importQueries (a sync's desired state) and
 * resourceQueries (resources, apply, drift, unmanaged files).
 */
export class DatabaseHedgehogStore implements HedgehogStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseHedgehogStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip && !options.skipMigrations) {
      await migrateLatest(client);
    }
    await useWriteAheadLog(client);
    return new DatabaseHedgehogStore(client);
  }

  /** For tests: the migrations folder. */
  static readonly migrationsDir = migrationsDir;

  /** What this store's last import of each fabric wrote (see ImportSnapshots). */
  private readonly snapshots = new ImportSnapshots();

  constructor(private readonly db: Knex) {}

  // ---- runs ---------------------------------------------------------------

  async enqueueRun(run: RunRequest) {
    return runs.enqueueRun(this.db, run);
  }

  async claimNextRun(fabric: string): Promise<RunRecord | undefined> {
    return runs.claimNextRun(this.db, fabric);
  }

  async hasQueuedRuns(fabric: string): Promise<boolean> {
    return runs.hasQueuedRuns(this.db, fabric);
  }

  async fabricsWithQueuedRuns(fabrics: string[]): Promise<Set<string>> {
    return runs.fabricsWithQueuedRuns(this.db, fabrics);
  }

  async updateRun(id: string, patch: RunPatch): Promise<void> {
    return runs.updateRun(this.db, id, patch);
  }

  async heartbeat(id: string): Promise<void> {
    return runs.heartbeat(this.db, id);
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    return runs.getRun(this.db, id);
  }

  async listRuns(fabric: string, offset: number, limit: number): Promise<ListResponse<Run>> {
    return runs.listRuns(this.db, fabric, offset, limit);
  }

  async runOfImport(fabric: string, generation: number): Promise<string | undefined> {
    return runs.runOfImport(this.db, fabric, generation);
  }

  async syncedCommits(fabric: string, prefix: string, limit: number): Promise<string[]> {
    return runs.syncedCommits(this.db, fabric, prefix, limit);
  }

  async previousRun(fabric: string, types: RunType[], before: string) {
    return runs.previousRun(this.db, fabric, types, before);
  }

  async failStaleRuns(staleBefore: number): Promise<number> {
    return runs.failStaleRuns(this.db, staleBefore);
  }

  // ---- locks --------------------------------------------------------------

  async tryLock(fabric: string, owner: string, ttlMs: number): Promise<boolean> {
    return runs.tryLock(this.db, fabric, owner, ttlMs);
  }

  async releaseLock(fabric: string, owner: string): Promise<void> {
    return runs.releaseLock(this.db, fabric, owner);
  }

  // ---- fabric state -------------------------------------------------------

  async getFabricState(name: string): Promise<FabricState | undefined> {
    const row = await this.db(FABRICS).where({ name }).first();
    return row ? toFabricState(row) : undefined;
  }

  async listFabricStates(): Promise<FabricState[]> {
    const rows = await this.db(FABRICS).select();
    return rows.map(toFabricState);
  }

  async updateFabricState(name: string, patch: Partial<Omit<FabricState, 'name'>>) {
    await ensureFabric(this.db, name);
    await this.db(FABRICS).where({ name }).update(fabricRow(patch));
  }

  // ---- desired state ------------------------------------------------------

  async importState(fabric: string, batch: ImportBatch) {
    return importState(this.db, fabric, batch, this.snapshots);
  }

  async listDesired(fabric: string): Promise<DesiredRow[]> {
    return resources.listDesired(this.db, fabric);
  }

  async listDesiredJson(fabric: string): Promise<string[]> {
    return resources.listDesiredJson(this.db, fabric);
  }

  async recordApply(fabric: string, results: ApplyResultRow[]): Promise<void> {
    return resources.recordApply(this.db, fabric, results);
  }

  async recordDrift(fabric: string, entries: DriftEntry[]): Promise<void> {
    return resources.recordDrift(this.db, fabric, entries);
  }

  async markDriftUnknown(fabric: string): Promise<void> {
    return resources.markDriftUnknown(this.db, fabric);
  }

  async knownBlobIds(fabric: string): Promise<Map<string, string>> {
    return resources.knownBlobIds(this.db, fabric);
  }

  async listResources(fabric: string, filter: ResourceFilter): Promise<ListResponse<ResourceItem>> {
    return resources.listResources(this.db, fabric, filter);
  }

  async getResource(fabric: string, kind: string, name: string): Promise<ResourceDetail | undefined> {
    return resources.getResource(this.db, fabric, kind, name);
  }

  async driftCounts(fabric: string): Promise<Record<DriftStatus, number>> {
    return resources.driftCounts(this.db, fabric);
  }

  async failedApplies(fabric: string): Promise<number> {
    return resources.failedApplies(this.db, fabric);
  }

  async listUnmanaged(fabric: string): Promise<ListResponse<UnmanagedFile>> {
    return resources.listUnmanaged(this.db, fabric);
  }

  async listTopologyResources(fabric: string, kinds: string[]): Promise<TopologyResource[]> {
    return listTopologyResources(this.db, fabric, kinds);
  }

  async searchResources(fabrics: string[], q: string, limit: number): Promise<SearchResponse> {
    return searchResources(this.db, fabrics, q, limit);
  }

  async unmanagedReasonBlobs(fabric: string) {
    return resources.unmanagedReasonBlobs(this.db, fabric);
  }

  // ---- findings -----------------------------------------------------------

  async currentFindings(fabric: string): Promise<FindingScope | undefined> {
    const row = await this.db(FABRICS).where({ name: fabric }).first('findings_generation');
    const generation = row?.findings_generation;
    return generation === null || generation === undefined ? undefined : { fabric, generation: Number(generation) };
  }

  async runFindings(run: RunRecord): Promise<FindingScope | undefined> {
    if (run.importGeneration === undefined) return undefined;
    const current = await this.currentFindings(run.fabric);
    // the rows of an import are kept in full while it is among the last imports kept
    if (!current || run.importGeneration > current.generation) return undefined;
    if (run.importGeneration < current.generation - findings.FINDING_IMPORTS_KEPT) return undefined;
    return { fabric: run.fabric, generation: run.importGeneration };
  }

  async listFindings(scope: FindingScope, filter: FindingsFilter, offset: number, limit: number): Promise<FindingsPage> {
    return findings.listFindings(this.db, scope, filter, offset, limit);
  }

  async summarizeFindings(scope: FindingScope, filter: FindingsFilter, groups: number): Promise<FindingsSummary> {
    return findings.summarizeFindings(this.db, scope, filter, groups);
  }

  streamFindings(scope: FindingScope, filter: FindingsFilter): AsyncIterable<ListedFinding[]> {
    return findings.streamFindings(this.db, scope, filter);
  }
}
