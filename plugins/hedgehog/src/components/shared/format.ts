/** Small formatting helpers shared by the views. */

/** The first 12 characters of a commit id, or a dash. */
export function shortCommit(commit?: string): string {
  return commit ? commit.slice(0, 12) : '–';
}

/** "3 min ago" style relative time; `now` is injectable for tests. */
export function relativeTime(iso?: string, now: number = Date.now()): string {
  if (!iso) return 'never';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const seconds = Math.round((t - now) / 1000);
  const abs = Math.abs(seconds);
  const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  if (abs < 45) return rtf.format(seconds, 'second');
  if (abs < 45 * 60) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 22 * 3600) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86400), 'day');
}

/** Absolute local time, for tooltips. */
export function absoluteTime(iso?: string): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toLocaleString();
}

/** Duration between two instants ("1.2 s", "3 min 4 s"); open-ended until now. */
export function duration(
  start?: string,
  end?: string,
  now: number = Date.now(),
): string {
  if (!start) return '–';
  const from = Date.parse(start);
  const to = end ? Date.parse(end) : now;
  if (Number.isNaN(from) || Number.isNaN(to)) return '–';
  const ms = Math.max(0, to - from);
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const min = Math.floor(ms / 60_000);
  const sec = Math.round((ms % 60_000) / 1000);
  return `${min} min ${sec} s`;
}

/** Counters that say something also when they are 0 (no errors, nothing applied). */
const SHOWN_WHEN_ZERO = new Set(['errors', 'warnings', 'resources', 'files', 'applied', 'failed', 'branchExists']);

/**
 * How the backend's stage counters read (others are humanized). A partly managed
 * raw file is ingested and kept in unmanaged/, so those two may overlap.
 */
const COUNT_LABELS: Record<string, string | ((n: number) => string)> = {
  branchExists: n => (n ? '' : 'branch not found'),
  rewritten: () => 'history rewritten',
  offline: () => 'offline',
  rawFiles: 'raw files',
  ingestedFiles: 'raw files ingested',
  unmanagedFiles: 'kept in unmanaged/',
  unmanagedDocuments: 'documents kept in unmanaged/',
  conflictFiles: 'left in raw/ (conflict)',
  conflictDocuments: 'documents left in raw/ (conflict)',
  resourcesCreated: 'resources created',
  resourcesUnchanged: 'already managed',
  managedRewritten: 'managed files rewritten',
  layoutRepaired: 'layout files created',
};

/** `{files: 4, filesRead: 3, conflicts: 0}` → "files 4 · files read 3" (zeros only where they say something). */
export function formatCounts(counts?: Record<string, number>): string {
  if (!counts) return '';
  return Object.entries(counts)
    .filter(([k, v]) => v !== 0 || SHOWN_WHEN_ZERO.has(k))
    .map(([k, v]) => {
      const label = COUNT_LABELS[k];
      if (typeof label === 'function') return label(v);
      return `${label ?? humanize(k)} ${v}`;
    })
    .filter(Boolean)
    .join(' · ');
}

/** camelCase or snake_case → lower-case words. */
export function humanize(key: string): string {
  return key
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLocaleLowerCase('en-US');
}

/** Upper-cases the first letter. */
export function capitalize(s: string): string {
  return s ? s[0].toLocaleUpperCase('en-US') + s.slice(1) : s;
}

/** A value of a field-level difference, as a short single- or multi-line text. */
export function formatValue(value: unknown): string {
  if (value === undefined) return '(absent)';
  if (typeof value === 'string') return JSON.stringify(value);
  return (
    JSON.stringify(value, null, 1)?.replace(/\n\s*/g, ' ') ?? String(value)
  );
}

/**
 * The requests that joined a queued run, grouped: `9 × api, 1 × schedule`
 * (undefined when none joined).
 */
export function joinedRequests(run: { coalesced?: Array<{ trigger: string }> }): string | undefined {
  if (!run.coalesced?.length) return undefined;
  const counts = new Map<string, number>();
  for (const r of run.coalesced) counts.set(r.trigger, (counts.get(r.trigger) ?? 0) + 1);
  return [...counts].map(([trigger, n]) => `${n} × ${trigger}`).join(', ');
}
