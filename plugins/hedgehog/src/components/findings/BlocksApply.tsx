import { TableColumn } from '@backstage/core-components';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { Finding } from '@fabric-gitops/plugin-hedgehog-common';

/**
 * Whether a finding keeps its resource from being applied, as the API says
 * (`Finding.blocksApply`): a marker when it does (every error, and warnings such
 * as non-hydrated wiring), "no" when it does not.
 */
export function BlocksApplyMarker(props: {
  finding: Pick<Finding, 'blocksApply'>;
}) {
  const { blocksApply } = props.finding;
  if (blocksApply === true) {
    return (
      <Chip
        size="small"
        color="secondary"
        variant="outlined"
        label="blocks apply"
        title="The resource is not applied while this finding is open"
        data-testid="blocks-apply"
      />
    );
  }
  if (blocksApply === false) {
    return (
      <Typography
        variant="body2"
        color="textSecondary"
        data-testid="does-not-block-apply"
      >
        no
      </Typography>
    );
  }
  return null;
}

/** The "Blocks apply" column of a findings table. */
export function blocksApplyColumn<T extends Finding>(): TableColumn<T> {
  return {
    title: 'Blocks apply',
    cellStyle: { whiteSpace: 'nowrap' },
    render: row => <BlocksApplyMarker finding={row} />,
  };
}

/** The options of a findings filter by whether they block an apply. */
export const BLOCKS_APPLY_OPTIONS: ReadonlyArray<{
  value: 'true' | 'false';
  label: string;
}> = [
  { value: 'true', label: 'Blocks apply' },
  { value: 'false', label: 'Does not block apply' },
];
