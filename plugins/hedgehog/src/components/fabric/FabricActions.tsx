import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
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
import { ApplyDialog } from './ApplyDialog';

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

/** Sync, Apply and Check drift; disabled without permission or while a run is active. */
export function FabricActions(props: {
  fabric: Fabric;
  tracker: RunTracker;
  /** How often the apply dialog's dry run is polled. */
  pollIntervalMs?: number;
}) {
  const { fabric, tracker, pollIntervalMs } = props;
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
          pollIntervalMs={pollIntervalMs}
          onClose={() => setApplyOpen(false)}
          onApply={({ confirmPrune }) => {
            setApplyOpen(false);
            tracker.start({ type: 'apply', confirmPrune });
          }}
        />
      )}
    </Box>
  );
}
