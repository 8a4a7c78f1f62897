import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { ResourceHistoryEntry } from '@fabric-gitops/plugin-hedgehog-common';
import useAsync from 'react-use/esm/useAsync';
import { hedgehogApiRef } from '../../api';
import { ApiErrorPanel } from '../shared/errors';
import { absoluteTime, shortCommit } from '../shared/format';

/** The background of an added and a removed line of a diff. */
const LINE_BACKGROUND: Record<string, string | undefined> = {
  '+': 'rgba(46, 125, 50, 0.15)',
  '-': 'rgba(198, 40, 40, 0.15)',
};

function Commit(props: { entry: ResourceHistoryEntry }) {
  const { entry } = props;
  const [subject, ...body] = entry.message.split('\n');
  const commit = <code>{shortCommit(entry.commit)}</code>;
  return (
    <Box component="li" mb={1} data-testid="history-entry">
      <Typography variant="body2">
        {entry.url ? (
          <Link to={entry.url} aria-label={`Commit ${entry.commit}`}>
            {commit}
          </Link>
        ) : (
          commit
        )}{' '}
        <strong>{subject}</strong> — {entry.author}, {absoluteTime(entry.date)}
      </Typography>
      <details>
        <summary>
          <Typography variant="caption">
            Change of <code>{entry.path}</code>
            {entry.truncated ? ' (cut: the diff is larger)' : ''}
          </Typography>
        </summary>
        {body.join('\n').trim() && (
          <Typography variant="body2" style={{ whiteSpace: 'pre-wrap' }}>
            {body.join('\n').trim()}
          </Typography>
        )}
        <Box
          component="pre"
          style={{ fontSize: 12, overflowX: 'auto', maxHeight: 400 }}
        >
          {entry.changes.split('\n').map((line, i) => (
            <div
              key={i}
              style={{ background: LINE_BACKGROUND[line[0]] }}
            >
              {line || ' '}
            </div>
          ))}
        </Box>
      </details>
    </Box>
  );
}

/**
 * The commits that changed a resource's managed file, newest first, each with
 * its change; a commit links to the Git host when it is GitHub or GitLab.
 */
export function ResourceHistory(props: {
  fabric: string;
  kind: string;
  name: string;
  refreshKey?: number;
}) {
  const { fabric, kind, name, refreshKey } = props;
  const api = useApi(hedgehogApiRef);
  const state = useAsync(
    () => api.resourceHistory(fabric, kind, name),
    [api, fabric, kind, name, refreshKey],
  );
  return (
    <InfoCard title="History" subheader="Commits that changed the resource's file in Git">
      {state.loading && <Progress />}
      {state.error && (
        <ApiErrorPanel error={state.error} title="Could not load the history" />
      )}
      {state.value && state.value.items.length === 0 && (
        <Typography variant="body2">
          No commit changed this resource's file (it is not in Git, or the
          fabric has not been synced).
        </Typography>
      )}
      {state.value && state.value.items.length > 0 && (
        <Box component="ul" m={0} pl={2}>
          {state.value.items.map(e => (
            <Commit key={e.commit} entry={e} />
          ))}
        </Box>
      )}
      {state.value?.more && (
        <Typography variant="caption">
          Older commits are not shown; see the repository's history.
        </Typography>
      )}
    </InfoCard>
  );
}
