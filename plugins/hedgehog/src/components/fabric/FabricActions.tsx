import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import CloudUploadIcon from '@material-ui/icons/CloudUpload';
import CompareArrowsIcon from '@material-ui/icons/CompareArrows';
import SyncIcon from '@material-ui/icons/Sync';
import {
  Fabric,
  hedgehogFabricApplyPermission,
  hedgehogFabricSyncPermission,
} from '@fabric-gitops/plugin-hedgehog-common';
import { ReactElement, useState } from 'react';
import { RunTracker } from '../hooks/useRunTracker';
import { shortCommit } from '../shared/format';

function ActionButton(props: {
  label: string;
  icon: ReactElement;
  reason?: string;
  primary?: boolean;
  onClick(): void;
}) {
  const { label, icon, reason, primary, onClick } = props;
  return (
    <Tooltip title={reason ?? ''}>
      {/* a span so the tooltip also shows on a disabled button */}
      <span>
        <Button
          variant={primary ? 'contained' : 'outlined'}
          color="primary"
          size="small"
          startIcon={icon}
          disabled={!!reason}
          onClick={onClick}
          aria-label={label}
        >
          {label}
        </Button>
      </span>
    </Tooltip>
  );
}

function ApplyDialog(props: {
  fabric: Fabric;
  open: boolean;
  onClose(): void;
  onApply(dryRun: boolean): void;
}) {
  const { fabric, open, onClose, onApply } = props;
  const [dryRun, setDryRun] = useState(false);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      aria-labelledby="hedgehog-apply-title"
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
        <FormControlLabel
          control={
            <Checkbox
              checked={dryRun}
              onChange={e => setDryRun(e.target.checked)}
              color="primary"
            />
          }
          label="Dry run (the API server validates, nothing is changed)"
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          onClick={() => onApply(dryRun)}
        >
          {dryRun ? 'Dry run' : 'Apply'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** Sync, Apply and Check drift; disabled without permission or while a run is active. */
export function FabricActions(props: { fabric: Fabric; tracker: RunTracker }) {
  const { fabric, tracker } = props;
  // resource permissions: the policy may allow them on some fabrics only
  const sync = usePermission({
    permission: hedgehogFabricSyncPermission,
    resourceRef: fabric.name,
  });
  const apply = usePermission({
    permission: hedgehogFabricApplyPermission,
    resourceRef: fabric.name,
  });
  const [applyOpen, setApplyOpen] = useState(false);

  const busy = tracker.busy ? 'A run of this fabric is in progress' : undefined;
  const noCluster = fabric.cluster
    ? undefined
    : 'The fabric has no cluster (set "cluster" in its definition)';
  const permissionReason = (
    state: { loading: boolean; allowed: boolean },
    denied: string,
  ): string | undefined => {
    if (state.loading) return 'Checking permissions…';
    return state.allowed ? undefined : denied;
  };
  const syncReason =
    permissionReason(
      sync,
      `You are not allowed to sync this fabric (${hedgehogFabricSyncPermission.name})`,
    ) ?? busy;
  const applyReason =
    permissionReason(
      apply,
      `You are not allowed to apply this fabric (${hedgehogFabricApplyPermission.name})`,
    ) ??
    noCluster ??
    busy;
  const driftReason =
    permissionReason(
      sync,
      `You are not allowed to check drift (${hedgehogFabricSyncPermission.name})`,
    ) ??
    noCluster ??
    busy;

  const denied = [
    !sync.loading && !sync.allowed ? 'sync or check drift' : undefined,
    !apply.loading && !apply.allowed ? 'apply' : undefined,
  ].filter(Boolean);

  return (
    <Box display="flex" flexDirection="column" alignItems="flex-end">
      <Box display="flex" style={{ gap: 8 }}>
        <ActionButton
          label="Sync"
          icon={<SyncIcon />}
          primary
          reason={syncReason}
          onClick={() => tracker.start({ type: 'sync' })}
        />
        <ActionButton
          label="Apply"
          icon={<CloudUploadIcon />}
          reason={applyReason}
          onClick={() => setApplyOpen(true)}
        />
        <ActionButton
          label="Check drift"
          icon={<CompareArrowsIcon />}
          reason={driftReason}
          onClick={() => tracker.start({ type: 'drift' })}
        />
      </Box>
      {denied.length > 0 && (
        <Typography variant="caption" color="textSecondary">
          You do not have permission to {denied.join(' or ')} this fabric.
        </Typography>
      )}
      {applyOpen && (
        <ApplyDialog
          fabric={fabric}
          open={applyOpen}
          onClose={() => setApplyOpen(false)}
          onApply={dryRun => {
            setApplyOpen(false);
            tracker.start({ type: 'apply', dryRun });
          }}
        />
      )}
    </Box>
  );
}
