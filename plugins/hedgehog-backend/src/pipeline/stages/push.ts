import { GitWorkspace } from '../../git/GitWorkspace';
import { commitMessage } from '../../gitops/commitMessage';
import { Planned } from './syncContext';

/** The outcome of one commit and push. */
export interface PushAttempt {
  commit: string;
  pushed: 'pushed' | 'rejected';
}

/** A commit and push started before the commit stage (beside validation). */
export interface PushInFlight {
  /** Settles once the push is under way (or the commit failed). */
  started: Promise<void>;
  /** The push's outcome. */
  done: Promise<PushAttempt>;
}

/**
 * Builds the plan's commit on the planned head and pushes it; `beforePush` may
 * throw to stop before the push (the run lost its lock), `onPushing` once the push
 * is under way.
 */
export async function commitAndPush(
  ws: GitWorkspace,
  p: Planned,
  fabricName: string,
  hooks: { beforePush?: () => void; onPushing?: () => void } = {},
): Promise<PushAttempt> {
  const commit = await ws.commit(p.head, p.plan, commitMessage(fabricName, p.plan));
  hooks.beforePush?.();
  const push = ws.push(commit);
  hooks.onPushing?.();
  return { commit, pushed: await push };
}

/**
 * Starts the first commit and push of a push-mode sync. The commit does not
 * depend on the findings, so it is built and pushed while validation runs, which
 * then holds the event loop only while git works.
 */
export function startPush(ws: GitWorkspace, p: Planned, fabricName: string, beforePush?: () => void): PushInFlight {
  let pushing!: () => void;
  const started = new Promise<void>(resolve => {
    pushing = resolve;
  });
  const done = commitAndPush(ws, p, fabricName, { beforePush, onPushing: pushing }).finally(pushing);
  // awaited by the commit stage; until then a failure must not count as unhandled
  done.catch(() => {});
  return { started, done };
}
