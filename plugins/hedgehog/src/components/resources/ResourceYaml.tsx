import { CodeSnippet, InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Grid from '@material-ui/core/Grid';
import Switch from '@material-ui/core/Switch';
import Typography from '@material-ui/core/Typography';
import {
  Difference,
  ResourceDetail,
} from '@fabric-gitops/plugin-hedgehog-common';
import { useMemo, useState } from 'react';
import {
  withoutServerFields,
  withoutTrackingAnnotations,
} from '../shared/serverFields';
import { SideBySideDiff } from '../shared/SideBySideDiff';
import { changedRows, sideBySide } from '../shared/sideBySide';
import { linesOf, toYaml } from '../shared/yamlView';

type Obj = Record<string, unknown>;

function differingLines(n: number): string {
  if (n === 0) return 'no line differs';
  return n === 1 ? '1 line differs' : `${n} lines differ`;
}

function YamlCard(props: {
  title: string;
  subheader?: string;
  value?: Obj | null;
  differences: Difference[];
  side: 'desired' | 'actual';
  emptyText: string;
  action?: JSX.Element;
}) {
  const { title, subheader, value, differences, side, emptyText, action } =
    props;
  const text = value ? toYaml(value) : '';
  const highlighted = value
    ? linesOf(
        value,
        text,
        differences.filter(d => side in d).map(d => d.path),
      )
    : [];
  return (
    <InfoCard
      title={title}
      subheader={subheader}
      variant="gridItem"
      action={action}
    >
      {value ? (
        <Box data-testid={`yaml-${side}`}>
          <CodeSnippet
            language="yaml"
            text={text}
            showLineNumbers
            highlightedNumbers={highlighted}
            showCopyCodeButton
          />
        </Box>
      ) : (
        <Typography variant="body2" color="textSecondary">
          {emptyText}
        </Typography>
      )}
    </InfoCard>
  );
}

/** The toggle between the live object as a person reads it and as the API server keeps it. */
function ServerFieldsToggle(props: {
  hidden: string[];
  show: boolean;
  onChange(show: boolean): void;
}) {
  const { hidden, show, onChange } = props;
  return (
    <FormControlLabel
      title={
        hidden.length > 0
          ? `Hidden: ${hidden.join(', ')}`
          : 'The live object has no server fields'
      }
      control={
        <Switch
          size="small"
          checked={show}
          onChange={e => onChange(e.target.checked)}
          disabled={hidden.length === 0}
        />
      }
      label={`Show server fields${
        hidden.length > 0 ? ` (${hidden.length})` : ''
      }`}
    />
  );
}

/**
 * A resource's desired (Git) and live (cluster) YAML: side by side as a line diff with the
 * changed lines highlighted when both exist, otherwise the one there is. What the drift
 * comparison ignores is hidden until asked for: the live object's server fields (managedFields,
 * uid, resourceVersion, status, ...), the labels and annotations of tools and of the apply, and
 * the desired object's tracking annotations (source file and document).
 */
export function ResourceYaml({ r }: { r: ResourceDetail }) {
  const [showServer, setShowServer] = useState(false);
  const readable = useMemo(() => {
    const live = r.live ? withoutServerFields(r.live, r.desired) : undefined;
    const desired = r.desired
      ? withoutTrackingAnnotations(r.desired)
      : undefined;
    return {
      live: live?.readable,
      // the tracking annotations are hidden only where a diff would show them as a difference
      desired: live ? desired?.readable : r.desired,
      hidden: [
        ...(desired && live ? desired.hidden : []),
        ...(live?.hidden ?? []),
      ],
    };
  }, [r.live, r.desired]);
  const hidden = readable.hidden;
  const live = showServer ? r.live : readable.live;
  const desired = showServer ? r.desired : readable.desired;
  const toggle = r.live ? (
    <ServerFieldsToggle
      hidden={hidden}
      show={showServer}
      onChange={setShowServer}
    />
  ) : undefined;

  if (desired && live) {
    const left = toYaml(desired);
    const right = toYaml(live);
    const changed = changedRows(sideBySide(left, right));
    return (
      <Grid item xs={12}>
        <InfoCard
          title="Desired (Git) and live (cluster)"
          subheader={[r.gitPath, differingLines(changed)]
            .filter(Boolean)
            .join(' · ')}
          action={toggle}
        >
          <SideBySideDiff
            left={left}
            right={right}
            leftTitle="Desired (Git)"
            rightTitle="Live (cluster)"
            testId="yaml-diff"
          />
        </InfoCard>
      </Grid>
    );
  }
  return (
    <>
      <Grid item xs={12} md={6}>
        <YamlCard
          title="Desired (Git)"
          subheader={r.gitPath}
          value={r.desired}
          differences={r.differences}
          side="desired"
          emptyText="Not in Git: this object exists only in the cluster."
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <YamlCard
          title="Live (cluster)"
          value={live}
          differences={r.differences}
          side="actual"
          action={toggle}
          emptyText={
            r.drift.status === 'missing_in_cluster'
              ? 'Not in the cluster.'
              : 'The live object has not been read (no cluster or no drift check yet).'
          }
        />
      </Grid>
    </>
  );
}
