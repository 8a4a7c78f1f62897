import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  DRIFT_STATUSES,
  DriftStatus,
} from '@fabric-gitops/plugin-hedgehog-common';
import { DriftStatusLabel } from '../shared/status';

/**
 * Counts per drift status. Compact: only the non-zero ones on one line; full:
 * every status on its own line, clickable when `onSelect` is given.
 */
export function DriftSummary(props: {
  drift: Partial<Record<DriftStatus, number>>;
  compact?: boolean;
  onSelect?: (status: DriftStatus) => void;
}) {
  const { drift, compact, onSelect } = props;
  const total = DRIFT_STATUSES.reduce((n, s) => n + (drift[s] ?? 0), 0);
  if (compact) {
    if (total === 0) return <span>No resources compared yet</span>;
    return (
      <Box
        component="span"
        display="inline-flex"
        flexWrap="wrap"
        style={{ gap: 12 }}
      >
        {DRIFT_STATUSES.filter(s => (drift[s] ?? 0) > 0).map(s => (
          <span key={s}>
            <DriftStatusLabel status={s}>{`: ${drift[s]}`}</DriftStatusLabel>
          </span>
        ))}
      </Box>
    );
  }
  return (
    <Box>
      {DRIFT_STATUSES.map(s => (
        <Box
          key={s}
          display="flex"
          justifyContent="space-between"
          py={0.5}
          style={onSelect ? { cursor: 'pointer' } : undefined}
          onClick={onSelect ? () => onSelect(s) : undefined}
          data-testid={`drift-${s}`}
        >
          <DriftStatusLabel status={s} />
          <Typography variant="body2">
            <b>{drift[s] ?? 0}</b>
          </Typography>
        </Box>
      ))}
      <Box
        display="flex"
        justifyContent="space-between"
        pt={1}
        borderTop={1}
        borderColor="divider"
      >
        <Typography variant="body2">Total</Typography>
        <Typography variant="body2">
          <b>{total}</b>
        </Typography>
      </Box>
    </Box>
  );
}
