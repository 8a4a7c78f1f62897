import { LEGACY_HNP_DIR, isUnder } from './layout';
import { IngestPlan, UnmanagedReason } from './planTypes';
import { TreeEntry } from './tree';

/* The layout of the earlier NetBox plugin (.hnp/, raw files archived as *.archived). */

/** Records in the plan whether the directory has the earlier plugin's layout. */
export function noteLegacyLayout(plan: IngestPlan, sorted: TreeEntry[]) {
  plan.legacyLayout = sorted.some(e => isUnder(e.path, LEGACY_HNP_DIR));
  if (plan.legacyLayout) {
    plan.log.push(`recognised the layout of the earlier NetBox plugin (${LEGACY_HNP_DIR}/)`);
  }
}

/** The reason of a raw file archived by the earlier plugin after it was ingested; undefined for other files. */
export function legacyArchiveReason(path: string): UnmanagedReason | undefined {
  return /\.archived(\.\d+)?$/.test(path)
    ? { rule: 'legacy-archive', message: 'raw file archived by the earlier NetBox plugin after it was ingested' }
    : undefined;
}
