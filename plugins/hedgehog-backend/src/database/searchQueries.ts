import { searchKey, searchResource, SearchHit, SearchResponse } from '@fabric-gitops/plugin-hedgehog-common';
import { Knex } from 'knex';
import { BATCH, ORPHAN_PATH, RESOURCES } from './tables';

/** The most resources one search reads (those whose name or desired object holds the query's text). */
export const SEARCH_SCAN_MAX = 2_000;

/**
 * Resources of the fabrics whose name or spec matches the query (common/search:
 * a name that contains it, a value that is it or holds it as whole segments).
 * SQL finds the candidates — the rows whose name or desired JSON contains the
 * query's text, at most `scan` of them — and the matches are told apart in JS.
 */
export async function searchResources(
  db: Knex,
  fabrics: string[],
  q: string,
  limit: number,
  scan: number = SEARCH_SCAN_MAX,
): Promise<SearchResponse> {
  const key = searchKey(q);
  if (key === '' || fabrics.length === 0) return { items: [], totalItems: 0, truncated: false };
  // the query as the desired column's JSON text writes it
  const like = `%${escapeLike(JSON.stringify(key).slice(1, -1))}%`;
  const items: SearchHit[] = [];
  let total = 0;
  let read = 0;
  for (let i = 0; i < fabrics.length && read < scan; i += BATCH) {
    const rows = await db(RESOURCES)
      .whereIn('fabric', fabrics.slice(i, i + BATCH))
      .whereNot('git_path', ORPHAN_PATH)
      .andWhere(w =>
        w.whereRaw(`lower(desired) like ? escape '\\'`, [like]).orWhereRaw(`lower(name) like ? escape '\\'`, [like]),
      )
      .select('fabric', 'kind', 'name', 'git_path', 'desired')
      .orderBy([{ column: 'fabric' }, { column: 'kind' }, { column: 'name' }])
      .limit(scan - read + 1);
    for (const row of rows) {
      if (read === scan) return { items, totalItems: total, truncated: true };
      read++;
      for (const hit of searchResource(JSON.parse(row.desired), key)) {
        total++;
        if (items.length < limit) {
          items.push({ fabric: row.fabric, kind: row.kind, name: row.name, ...hit, file: row.git_path });
        }
      }
    }
  }
  return { items, totalItems: total, truncated: total > items.length };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, c => `\\${c}`);
}
