import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import ButtonBase from '@material-ui/core/ButtonBase';
import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { HEDGEHOG_KINDS } from '@fabric-gitops/plugin-hedgehog-common';

/** Counts per kind: every managed kind, in dependency order, plus the total. */
export function KindCounts(props: {
  counts: Record<string, number>;
  onSelect?: (kind: string) => void;
  /** The fabric's branch and write mode, for what to do when it holds nothing yet. */
  git?: { branch: string; writeMode: string };
}) {
  const { counts, onSelect, git } = props;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const extra = Object.keys(counts).filter(
    k => !HEDGEHOG_KINDS.some(h => h.kind === k),
  );
  const kinds = [...HEDGEHOG_KINDS.map(k => k.kind), ...extra];
  return (
    <InfoCard
      title="Resources per kind"
      subheader={`${total} managed resource${total === 1 ? '' : 's'} in Git`}
    >
      {total === 0 && (
        <Typography variant="body2" paragraph>
          {git?.writeMode === 'pull-request'
            ? `No managed resources in ${git.branch} yet. A sync proposes the ingestion of raw/ as a pull request; its resources show here once it is merged and synced.`
            : 'No managed resources yet. Sync the fabric to ingest the files in raw/.'}
        </Typography>
      )}
      <Grid container spacing={1} data-testid="kind-counts">
        {kinds.map(kind => {
          const n = counts[kind] ?? 0;
          return (
            <Grid item xs={6} sm={4} md={3} key={kind}>
              <Paper variant="outlined" style={{ opacity: n ? 1 : 0.55 }}>
                <ButtonBase
                  style={{ width: '100%', display: 'block', textAlign: 'left' }}
                  disabled={!onSelect || n === 0}
                  onClick={() => onSelect?.(kind)}
                  aria-label={`${kind}: ${n}`}
                >
                  <Box p={1.5}>
                    <Typography variant="h5" component="div">
                      {n}
                    </Typography>
                    <Typography variant="body2" color="textSecondary">
                      {kind}
                    </Typography>
                  </Box>
                </ButtonBase>
              </Paper>
            </Grid>
          );
        })}
      </Grid>
    </InfoCard>
  );
}
