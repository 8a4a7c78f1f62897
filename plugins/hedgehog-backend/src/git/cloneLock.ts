/** Per clone folder: the end of the last operation queued on it. */
const queues = new Map<string, Promise<unknown>>();

/**
 * Runs `fn` once every operation queued before it on the clone `dir` has ended,
 * so that no two run at the same time within this process. Git takes a lock
 * file for every ref it updates and fails at once when another process holds it
 * ("cannot lock ref", "unable to update local ref"); the fabrics of one
 * repository and branch share one clone, so their fetches, commits and pushes
 * must not overlap. Reads (ls-tree, cat-file) need no lock and do not wait.
 *
 * In-process only: each backend replica has a working directory of its own, so
 * no other process writes in the clone (a git process this one started and
 * that outlived it, killed with the backend, leaves lock files that runGit
 * removes once they are older than the git timeout).
 */
export function withCloneLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const previous = queues.get(dir) ?? Promise.resolve();
  const run = previous.then(() => fn());
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(dir, settled);
  settled.then(() => {
    if (queues.get(dir) === settled) queues.delete(dir);
  });
  return run;
}
