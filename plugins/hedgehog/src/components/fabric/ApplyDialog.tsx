import { Progress, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  Fabric,
  RunDetail,
  RunStage,
} from '@fabric-gitops/plugin-hedgehog-common';
import { useCallback, useEffect, useState } from 'react';
import { hedgehogApiRef } from '../../api';
import { ApiErrorPanel } from '../shared/errors';
import { shortCommit } from '../shared/format';
import { isRunActive } from '../shared/status';
import { PlanSummary } from './PlanSummary';

/** What the dialog learned from its dry run. */
type DryRun =
  | { state: 'running' }
  | { state: 'failed'; error?: Error; run?: RunDetail }
  | { state: 'done'; stage: RunStage };

/**
 * Runs an apply dry run and waits for it: the list of what the apply would
 * change and delete comes from the run's apply stage.
 */
function useDryRun(fabric: string, pollIntervalMs: number) {
  const api = useApi(hedgehogApiRef);
  const [result, setResult] = useState<DryRun>({ state: 'running' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let cancelled = false;
    const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
    (async () => {
      setResult({ state: 'running' });
      try {
        const { runId } = await api.apply(fabric, { dryRun: true });
        let run = await api.getRun(runId);
        while (!cancelled && isRunActive(run.status)) {
          await sleep(pollIntervalMs);
          run = await api.getRun(runId);
        }
        if (cancelled) return;
        const stage = run.stages.find(s => s.name === 'apply');
        // (a dry run that joined an apply already queued ran as that apply: no list to confirm)
        if (
          !stage ||
          run.status === 'failed' ||
          !stage.message?.startsWith('dry run')
        ) {
          setResult({ state: 'failed', run });
        } else {
          setResult({ state: 'done', stage });
        }
      } catch (e) {
        if (!cancelled) setResult({ state: 'failed', error: e as Error });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [api, fabric, pollIntervalMs, attempt]);
  const retry = useCallback(() => setAttempt(n => n + 1), []);
  return { result, retry };
}

const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;

function DryRunResult(props: { stage: RunStage }) {
  const { stage } = props;
  const prune = stage.prune;
  const conflicts = stage.errors.filter(e =>
    /belongs to fabric/.test(e.message),
  );
  return (
    <Box>
      <Typography variant="body2">
        {stage.counts.applied ?? 0} object(s) would be created or changed,{' '}
        {stage.counts.unchanged ?? 0} are unchanged
        {stage.counts.blocked
          ? `, ${stage.counts.blocked} blocked by validation`
          : ''}
        .
      </Typography>
      {conflicts.length > 0 && (
        <Box mt={1}>
          <WarningPanel
            severity="warning"
            title={`${conflicts.length} object(s) belong to another fabric and are not applied`}
            message={conflicts.map(c => c.message).join('\n')}
          />
        </Box>
      )}
      {!prune && (
        <Typography variant="body2">
          Prune is off for this fabric: nothing is deleted.
        </Typography>
      )}
      {prune && prune.total === 0 && (
        <Typography variant="body2">Nothing would be deleted.</Typography>
      )}
      {prune && prune.total > 0 && (
        <Box mt={1}>
          <Typography variant="subtitle2" color="error">
            {prune.total} object(s) would be deleted (no longer in Git)
            {prune.confirmationRequired
              ? `: more than ${percent(prune.limit)} of the fabric's ${
                  prune.owned
                } object(s) in the cluster`
              : ''}
          </Typography>
          <Box
            component="ul"
            data-testid="prune-list"
            style={{ maxHeight: 240, overflowY: 'auto', margin: 0 }}
          >
            {prune.objects.map(o => (
              <li key={`${o.kind}/${o.name}`}>
                <code>
                  {o.kind}/{o.name}
                </code>
              </li>
            ))}
          </Box>
          {prune.total > prune.objects.length && (
            <Typography variant="caption">
              … and {prune.total - prune.objects.length} more (see the run's
              apply stage)
            </Typography>
          )}
        </Box>
      )}
      {prune?.completenessUnknown && (
        <Typography variant="body2" color="textSecondary">
          Nothing is pruned until a sync has imported the fabric's desired state
          and recorded that it is complete.
        </Typography>
      )}
      {prune?.heldBack
        .filter(h => h.kept > 0)
        .map(h => (
          <Typography key={h.kind} variant="body2" color="textSecondary">
            Prune of {h.kind} is held back ({h.kept} object(s) kept):{' '}
            {h.files.join(', ')}
            {h.fileCount > h.files.length
              ? ` and ${h.fileCount - h.files.length} more`
              : ''}{' '}
            cannot be read or are invalid.
          </Typography>
        ))}
    </Box>
  );
}

/**
 * The confirmation of an apply: its plan (what it creates, updates with the
 * changes, deletes, blocks; grouped by kind), and a dry run against the API
 * server, then what the apply would change and every object it would delete; deletes are confirmed by typing their number,
 * which the apply sends as `confirmPrune`.
 */
export function ApplyDialog(props: {
  fabric: Fabric;
  open: boolean;
  pollIntervalMs?: number;
  onClose(): void;
  onApply(options: { confirmPrune?: number }): void;
}) {
  const { fabric, open, onClose, onApply, pollIntervalMs = 1000 } = props;
  const { result, retry } = useDryRun(fabric.name, pollIntervalMs);
  const [typed, setTyped] = useState('');
  const deletes = result.state === 'done' ? result.stage.prune?.total ?? 0 : 0;
  const ready =
    result.state === 'done' &&
    (deletes === 0 || typed.trim() === String(deletes));
  return (
    <Dialog
      open={open}
      onClose={onClose}
      aria-labelledby="hedgehog-apply-title"
      maxWidth="md"
    >
      <DialogTitle id="hedgehog-apply-title">
        Apply {fabric.title || fabric.name} to cluster {fabric.cluster}?
      </DialogTitle>
      <DialogContent>
        <DialogContentText>
          Server-side apply of the desired state from Git (commit{' '}
          {shortCommit(fabric.lastSyncedCommit)}) in dependency order, with
          field manager backstage-hedgehog.
        </DialogContentText>
        <Box mb={2}>
          <PlanSummary fabric={fabric.name} />
        </Box>
        {result.state === 'running' && (
          <Box>
            <Typography variant="body2">
              Dry run: checking what the apply would change and delete…
            </Typography>
            <Progress />
          </Box>
        )}
        {result.state === 'failed' && result.error && (
          <ApiErrorPanel error={result.error} title="The dry run failed" />
        )}
        {result.state === 'failed' && !result.error && (
          <WarningPanel
            severity="error"
            title="The dry run did not say what the apply would do"
            message={
              result.run?.error ??
              'It joined an apply that was already queued, or its apply stage did not run.'
            }
          />
        )}
        {result.state === 'done' && <DryRunResult stage={result.stage} />}
        {deletes > 0 && (
          <TextField
            margin="dense"
            fullWidth
            label={`Type ${deletes} to confirm the deletes`}
            value={typed}
            onChange={e => setTyped(e.target.value)}
            inputProps={{ 'aria-label': 'Number of objects to delete' }}
          />
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        {result.state === 'failed' && (
          <Button onClick={retry}>Dry run again</Button>
        )}
        <Button
          color="primary"
          variant="contained"
          disabled={!ready}
          onClick={() => onApply(deletes > 0 ? { confirmPrune: deletes } : {})}
        >
          {deletes > 0 ? `Apply and delete ${deletes}` : 'Apply'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
