/*
 * Samples a process's resident set size (VmRSS of /proc/<pid>/status) every
 * `intervalMs` until stopped or the process is gone; stop() returns the largest
 * sample and how many were taken.
 */
import fs from 'node:fs';

export function startRssSampler(pid: number, intervalMs = 20) {
  let maxKb = 0;
  let samples = 0;
  const sample = () => {
    try {
      const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      maxKb = Math.max(maxKb, kb);
      samples++;
    } catch {
      // gone
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop(): { maxBytes: number; samples: number } {
      clearInterval(timer);
      return { maxBytes: maxKb * 1024, samples };
    },
  };
}
