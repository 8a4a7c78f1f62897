/* Figures, their targets, and the markdown table. */
import { fmtMs, median } from './util';

export interface Figure {
  /** Stable id, e.g. `sync.cold`. */
  id: string;
  /** Row label. */
  title: string;
  /** 'ms' (times; medians of the runs) or 'count' (requests) or 'MB'. */
  unit: 'ms' | 'count' | 'MB';
  product: number;
  floor?: number;
  /** What the floor is, in words. */
  floorWhat?: string;
  /** product / floor, when there is a floor. */
  ratio?: number;
  /** The target in words, and whether this run met it (undefined: no target). */
  target?: string;
  met?: boolean;
  /** Every run (product and floor), for the JSON. */
  runs?: { product: number[]; floor?: number[] };
  /**
   * CPU time (ms, medians) of the same runs: the process, its git children and, for
   * the cluster figures, kube-apiserver + etcd. Far less sensitive than wall time to
   * what else the machine runs.
   */
  cpu?: {
    product: number;
    floor: number;
    ratio: number;
    runs: { product: number[]; floor: number[] };
  };
  /** Anything else worth keeping (stage times, request counts, ...). */
  details?: Record<string, unknown>;
}

/** A figure from runs: product and floor are the medians. */
export function figure(
  f: Omit<Figure, 'product' | 'floor' | 'ratio' | 'runs' | 'cpu'> & {
    productRuns: number[];
    floorRuns?: number[];
    productCpu?: number[];
    floorCpu?: number[];
  },
): Figure {
  const { productRuns, floorRuns, productCpu, floorCpu, ...rest } = f;
  const product = median(productRuns);
  const floor =
    floorRuns && floorRuns.length > 0 ? median(floorRuns) : undefined;
  const cpu =
    productCpu?.length && floorCpu?.length
      ? {
          product: median(productCpu),
          floor: median(floorCpu),
          ratio: median(productCpu) / median(floorCpu),
          runs: { product: productCpu, floor: floorCpu },
        }
      : undefined;
  return {
    ...rest,
    product,
    floor,
    ratio: floor !== undefined && floor > 0 ? product / floor : undefined,
    runs: { product: productRuns, ...(floorRuns ? { floor: floorRuns } : {}) },
    ...(cpu ? { cpu } : {}),
  };
}

function fmt(v: number | undefined, unit: Figure['unit']): string {
  if (v === undefined || Number.isNaN(v)) return '–';
  if (unit === 'ms') return fmtMs(v);
  if (unit === 'MB') return `${v.toFixed(0)} MB`;
  return String(Math.round(v));
}

/** The markdown table of a run. */
export function markdownTable(figures: Figure[]): string {
  const rows = [
    '| figure | product | floor | ratio | CPU ratio | target | met |',
    '|---|---:|---:|---:|---:|---|:-:|',
  ];
  for (const f of figures) {
    rows.push(
      `| ${f.title} | ${fmt(f.product, f.unit)} | ${fmt(f.floor, f.unit)}${
        f.floorWhat ? ` (${f.floorWhat})` : ''
      } | ${f.ratio !== undefined ? `${f.ratio.toFixed(2)}×` : '–'} | ${
        f.cpu ? `${f.cpu.ratio.toFixed(2)}×` : '–'
      } | ${f.target ?? '–'} | ${metCell(f.met)} |`,
    );
  }
  return rows.join('\n');
}

/** The "met" column: whether the figure meets its target, if it has one. */
function metCell(met: boolean | undefined): string {
  if (met === undefined) return '–';
  return met ? 'yes' : '**no**';
}
