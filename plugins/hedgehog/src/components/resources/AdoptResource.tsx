import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Tooltip from '@material-ui/core/Tooltip';
import GetAppIcon from '@material-ui/icons/GetApp';
import Alert from '@material-ui/lab/Alert';
import {
  AdoptResult,
  DriftStatus,
  FabricGitLocation,
  hedgehogFabricAdoptPermission,
} from '@fabric-gitops/plugin-hedgehog-common';
import { useState } from 'react';
import { hedgehogApiRef } from '../../api';
import { ApiErrorPanel } from '../shared/errors';
import { shortCommit } from '../shared/format';

/** Drift statuses whose cluster value can be adopted into Git (as the backend accepts). */
export const ADOPTABLE: readonly DriftStatus[] = [
  'drifted',
  'orphaned_in_cluster',
];

/** What an adoption ended with: the backend's outcome or its error. */
export type Adoption =
  | { kind: string; name: string; result: AdoptResult; error?: undefined }
  | { kind: string; name: string; error: Error; result?: undefined };

/** How the fabric's write mode delivers the change, in the confirmation dialog. */
function deliveryText(
  fabric: string,
  kind: string,
  name: string,
  git?: FabricGitLocation,
) {
  switch (git?.writeMode) {
    case 'pull-request':
      return `It is pushed to the branch hedgehog-adopt/${fabric}/${kind.toLowerCase()}-${name} and a pull request into ${
        git.branch
      } is opened (or the open one updated). Nothing reaches ${
        git.branch
      } until a reviewer merges it.`;
    case 'push':
      return `It is committed and pushed straight to ${git.branch}, and a sync is queued to import it.`;
    default:
      return "It is delivered by the fabric's write mode: a pull request, or a commit pushed to the fabric's branch.";
  }
}

/**
 * "Adopt into Git": writes the cluster's value of a drifted (or cluster-only)
 * resource into its managed file through the fabric's write mode, after a
 * confirmation. Hidden for other statuses; disabled without
 * `hedgehog.fabric.adopt` on the fabric or when the fabric's repository is read-only.
 */
export function AdoptButton(props: {
  fabric: string;
  kind: string;
  name: string;
  status: DriftStatus;
  gitPath?: string;
  git?: FabricGitLocation;
  onAdopted(adoption: Adoption): void;
}) {
  const { fabric, kind, name, status, gitPath, git, onAdopted } = props;
  const api = useApi(hedgehogApiRef);
  const permission = usePermission({
    permission: hedgehogFabricAdoptPermission,
    resourceRef: fabric,
  });
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!ADOPTABLE.includes(status)) return null;

  let reason: string | undefined;
  if (permission.loading) reason = 'Checking permissions…';
  else if (!permission.allowed) {
    reason = `You are not allowed to adopt into Git in fabric ${fabric} (${hedgehogFabricAdoptPermission.name})`;
  } else if (git?.writeMode === 'none') {
    reason = `Fabric ${fabric} has write mode "none": its repository is only read`;
  } else if (busy) reason = 'Adopting…';

  const adopt = async () => {
    setOpen(false);
    setBusy(true);
    try {
      const result = await api.adoptResource(fabric, kind, name);
      onAdopted({ kind, name, result });
    } catch (e) {
      onAdopted({
        kind,
        name,
        error: e instanceof Error ? e : new Error(String(e)),
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Tooltip title={reason ?? ''}>
        {/* a span so the tooltip also shows on a disabled button */}
        <span>
          <Button
            variant="outlined"
            color="primary"
            size="small"
            startIcon={<GetAppIcon />}
            disabled={!!reason}
            onClick={() => setOpen(true)}
          >
            Adopt into Git
          </Button>
        </span>
      </Tooltip>
      {open && (
        <Dialog
          open
          onClose={() => setOpen(false)}
          aria-labelledby="hedgehog-adopt-title"
        >
          <DialogTitle id="hedgehog-adopt-title">
            Adopt the cluster's value of {kind} {name} into Git?
          </DialogTitle>
          <DialogContent>
            <DialogContentText>
              {status === 'orphaned_in_cluster'
                ? `The object exists only in the cluster. Its live value becomes a new file ${
                    gitPath || `under managed/`
                  } in fabric ${fabric}`
                : `The live value from the cluster replaces the desired state in ${
                    gitPath || 'its managed file'
                  } in fabric ${fabric}`}
              , without status, server-set metadata and webhook-computed labels.
            </DialogContentText>
            <DialogContentText>
              {deliveryText(fabric, kind, name, git)}
            </DialogContentText>
            <DialogContentText>
              Git stays the source of truth: the cluster is not changed, and the
              drift ends once the change is in the fabric's branch and synced.
            </DialogContentText>
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setOpen(false)}>Cancel</Button>
            <Button color="primary" variant="contained" onClick={adopt}>
              Adopt
            </Button>
          </DialogActions>
        </Dialog>
      )}
    </>
  );
}

/** The outcome of an adoption: the pull request or commit, or the backend's error. */
export function AdoptOutcome(props: { adoption: Adoption; onClose(): void }) {
  const { adoption, onClose } = props;
  const { kind, name, result, error } = adoption;
  if (error) {
    return (
      <ApiErrorPanel
        error={error}
        title={`Could not adopt ${kind} ${name} into Git`}
      />
    );
  }
  const r = result!;
  let text;
  if (!r.changed) {
    text = `Git already holds the cluster's value of ${kind} ${name} in ${r.gitPath}: nothing was committed.`;
  } else if (r.pullRequest) {
    const pr = r.pullRequest;
    text = (
      <>
        Pull request{' '}
        <Link to={pr.url} data-testid="adopt-pull-request">
          #{pr.number} {pr.title}
        </Link>{' '}
        (branch <code>{pr.branch}</code>) holds the cluster's value of {kind}{' '}
        {name} in {r.gitPath}. Merge it to adopt the value.
      </>
    );
  } else {
    text = (
      <>
        Commit <code title={r.commit}>{shortCommit(r.commit)}</code> writes the
        cluster's value of {kind} {name} into {r.gitPath}
        {r.runId ? '; a sync was queued to import it.' : '.'}
      </>
    );
  }
  return (
    <Alert
      severity={r.changed ? 'success' : 'info'}
      onClose={onClose}
      data-testid="adopt-outcome"
    >
      {text}
    </Alert>
  );
}
