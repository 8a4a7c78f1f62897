import { Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { Button as UiButton } from '@backstage/ui';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import RestoreIcon from '@material-ui/icons/Restore';
import Alert from '@material-ui/lab/Alert';
import {
  FabricGitLocation,
  hedgehogFabricRestorePermission,
  RestoreResult,
  Run,
} from '@fabric-gitops/plugin-hedgehog-common';
import { createContext, useContext, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { hedgehogApiRef } from '../../api';
import { PlanView } from '../fabric/PlanSummary';
import { ApiErrorPanel } from '../shared/errors';
import { shortCommit } from '../shared/format';

/** The fabric whose runs the history shows, for the restore action of a run. */
export interface RestoreTarget {
  fabric: string;
  git?: FabricGitLocation;
  /** After a restore was requested (the history shows its run). */
  onRestored?(result: RestoreResult): void;
}

export const RestoreTargetContext = createContext<RestoreTarget | undefined>(
  undefined,
);

/** Whether a run recorded a synced commit (one the backend restores). */
export function isRestorable(run: Run): boolean {
  return (
    (run.type === 'sync' || run.type === 'restore') &&
    (run.status === 'succeeded' || run.status === 'partial') &&
    Boolean(run.commitAfter)
  );
}

const CHANGE_WORD = {
  added: 'add',
  changed: 'change',
  removed: 'remove',
} as const;

/** How the fabric's write mode delivers a restore, in the dialog. */
function deliveryText(result: RestoreResult, git?: FabricGitLocation) {
  const branch = git?.branch ?? "the fabric's branch";
  return result.writeMode === 'pull-request'
    ? `One commit on the branch hedgehog-restore/${result.fabric}/${shortCommit(
        result.commit,
      )}, with a pull request into ${branch}; nothing reaches ${branch} until a reviewer merges it.`
    : `One commit pushed to ${branch}, then a sync as usual (validation, import, and apply when the fabric applies automatically).`;
}

/** The dry run's answer: the files, and what the apply would then do. */
function RestorePreview(props: {
  result: RestoreResult;
  git?: FabricGitLocation;
}) {
  const { result, git } = props;
  if (!result.changed) {
    return (
      <Alert severity="info">
        managed/ already is what it was at {shortCommit(result.commit)}: nothing
        to restore.
      </Alert>
    );
  }
  return (
    <Box data-testid="restore-preview">
      <DialogContentText>
        managed/ becomes what it was at commit{' '}
        <code>{shortCommit(result.commit)}</code> (now{' '}
        <code>{shortCommit(result.head)}</code>); other folders are untouched.{' '}
        {deliveryText(result, git)}
      </DialogContentText>
      <Typography variant="subtitle2">
        {result.files.length} file{result.files.length === 1 ? '' : 's'} of
        managed/
      </Typography>
      <Box
        component="ul"
        m={0}
        pl={2}
        style={{ maxHeight: 200, overflowY: 'auto' }}
        data-testid="restore-files"
      >
        {result.files.map(f => (
          <li key={f.path}>
            <Typography variant="body2">
              {CHANGE_WORD[f.change]} <code>{f.path}</code>
            </Typography>
          </li>
        ))}
      </Box>
      <Box mt={2}>
        {result.plan && <PlanView plan={result.plan} />}
        {result.planError && (
          <Alert severity="warning">No plan: {result.planError}</Alert>
        )}
      </Box>
    </Box>
  );
}

/** What the restore became: its run, or its pull request. */
function RestoreOutcome(props: { result: RestoreResult }) {
  const { result } = props;
  if (!result.changed) {
    return (
      <Alert severity="info">
        Nothing to restore: managed/ already is what it was at{' '}
        {shortCommit(result.commit)}.
      </Alert>
    );
  }
  if (result.pullRequest) {
    return (
      <Alert severity="success" data-testid="restore-outcome">
        Pull request{' '}
        <Link to={result.pullRequest.url}>#{result.pullRequest.number}</Link>{' '}
        restores managed/ to {shortCommit(result.commit)} ({result.files.length}{' '}
        files).
      </Alert>
    );
  }
  return (
    <Alert severity="success" data-testid="restore-outcome">
      Restore run <code>{result.runId}</code> queued: it commits managed/ as it
      was at {shortCommit(result.commit)} ({result.files.length} files) and
      syncs; it is in the run history.
    </Alert>
  );
}

function RestoreDialog(props: {
  run: Run;
  target: RestoreTarget;
  onClose(): void;
}) {
  const { run, target, onClose } = props;
  const api = useApi(hedgehogApiRef);
  const commit = run.commitAfter!;
  const preview = useAsync(
    () => api.restoreCommit(target.fabric, { commit, dryRun: true }),
    [api, target.fabric, commit],
  );
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ result?: RestoreResult; error?: Error }>();
  const confirm = async () => {
    setBusy(true);
    try {
      const result = await api.restoreCommit(target.fabric, { commit });
      setDone({ result });
      target.onRestored?.(result);
    } catch (e) {
      setDone({ error: e instanceof Error ? e : new Error(String(e)) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      open
      onClose={onClose}
      aria-labelledby="hedgehog-restore-title"
      maxWidth="md"
      fullWidth
    >
      <DialogTitle id="hedgehog-restore-title">
        Restore managed/ to commit {shortCommit(commit)}?
      </DialogTitle>
      <DialogContent>
        {preview.loading && <Progress />}
        {preview.error && (
          <ApiErrorPanel
            error={preview.error}
            title="Could not plan the restore"
          />
        )}
        {!done && preview.value && (
          <RestorePreview result={preview.value} git={target.git} />
        )}
        {done?.result && <RestoreOutcome result={done.result} />}
        {done?.error && (
          <ApiErrorPanel error={done.error} title="The restore failed" />
        )}
      </DialogContent>
      <DialogActions>
        <UiButton variant="tertiary" size="medium" onPress={onClose}>
          {done ? 'Close' : 'Cancel'}
        </UiButton>
        {!done && preview.value?.changed && (
          <UiButton
            variant="primary"
            size="medium"
            isDisabled={busy}
            onPress={confirm}
          >
            {busy
              ? 'Restoring…'
              : `Restore ${preview.value.files.length} file${
                  preview.value.files.length === 1 ? '' : 's'
                }`}
          </UiButton>
        )}
      </DialogActions>
    </Dialog>
  );
}

/**
 * "Restore this commit" on a run that recorded a synced commit: a dialog shows the
 * dry run (the files of managed/ that change, and with a cluster the apply's plan),
 * then restores on confirmation and shows the run or pull request. Disabled without
 * `hedgehog.fabric.restore` on the fabric or when its repository is read-only.
 */
export function RestoreCommitButton(props: { run: Run }) {
  const { run } = props;
  const target = useContext(RestoreTargetContext);
  const permission = usePermission({
    permission: hedgehogFabricRestorePermission,
    resourceRef: target?.fabric ?? run.fabric,
  });
  const [open, setOpen] = useState(false);
  if (!target || !isRestorable(run)) return null;
  let reason: string | undefined;
  if (permission.loading) reason = 'Checking permissions…';
  else if (!permission.allowed) {
    reason = `You are not allowed to restore fabric ${target.fabric} (${hedgehogFabricRestorePermission.name})`;
  } else if (target.git?.writeMode === 'none') {
    reason = `Fabric ${target.fabric} has write mode "none": its repository is only read`;
  }
  return (
    <>
      <Tooltip
        title={
          reason ??
          `Make managed/ what it was at ${shortCommit(run.commitAfter)}`
        }
      >
        <span>
          <Button
            variant="outlined"
            size="small"
            startIcon={<RestoreIcon />}
            disabled={!!reason}
            onClick={() => setOpen(true)}
          >
            Restore this commit
          </Button>
        </span>
      </Tooltip>
      {open && (
        <RestoreDialog
          run={run}
          target={target}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}
