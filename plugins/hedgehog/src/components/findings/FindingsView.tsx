import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Chip from '@material-ui/core/Chip';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Grid from '@material-ui/core/Grid';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import Typography from '@material-ui/core/Typography';
import {
  FindingsExportFormat,
  FindingsSummary,
  FindingsFilter,
  FindingSeverity,
} from '@fabric-gitops/plugin-hedgehog-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { hedgehogApiRef } from '../../api';
import { ApiErrorPanel, errorMessage } from '../shared/errors';
import { FilterSelect } from '../shared/FilterSelect';
import { BLOCKS_APPLY_OPTIONS } from './BlocksApply';
import { saveBlob } from '../shared/exportFile';
import { FindingGroups } from './FindingGroups';
import { FindingsTable } from './FindingsTable';
import { outsideResourcesText, totalsText } from './findingText';

/** Groups listed per card at first (the largest first; the card says of how many), and at most. */
const GROUPS = 10;
const MAX_GROUPS = 500;

/**
 * The fabric's current findings (its last sync): exact totals, counts by rule and
 * by file (a click filters), filters by severity, "new since the previous
 * sync" and whether findings block an apply, a paged list, and exports of every finding that matches as CSV or JSON.
 */
export function FindingsView(props: {
  fabric: string;
  filter: FindingsFilter;
  onFilterChange(filter: FindingsFilter): void;
  onOpenResource?(resource: { kind: string; name: string }): void;
  /** Shows the resources that have a finding of a rule. */
  onShowResources?(rule: string): void;
  refreshKey?: number;
}) {
  const { fabric, filter, onFilterChange, onOpenResource, onShowResources } =
    props;
  const api = useApi(hedgehogApiRef);
  const [groups, setGroups] = useState(GROUPS);
  const [exporting, setExporting] = useState<FindingsExportFormat>();
  const [exportError, setExportError] = useState<string>();
  const { severity, rule, file } = filter;
  const isNew = filter.new;
  const blocks = filter.blocksApply;

  // the groups keep every rule and file in view: only severity, "new" and "blocks apply" narrow them
  const summary = useAsync(
    () =>
      api.summarizeFindings(fabric, {
        severity,
        new: isNew,
        blocksApply: blocks,
        groups,
      }),
    [api, fabric, severity, isNew, blocks, groups, props.refreshKey],
  );

  const download = async (format: FindingsExportFormat) => {
    setExporting(format);
    setExportError(undefined);
    try {
      const blob = await api.exportFindings(fabric, format, filter);
      saveBlob(blob, `${fabric}-findings.${format}`);
    } catch (e) {
      setExportError(errorMessage(e));
    } finally {
      setExporting(undefined);
    }
  };

  const showMore = () => setGroups(n => Math.min(MAX_GROUPS, n * 5));

  return (
    <Grid container spacing={3} data-testid="findings-view">
      <Grid item xs={12}>
        <Box
          display="flex"
          flexWrap="wrap"
          alignItems="center"
          style={{ gap: 16 }}
        >
          <Typography variant="h6" component="h2" data-testid="findings-totals">
            {summary.value ? totalsText(summary.value.totals) : 'Findings'}
          </Typography>
          <OutsideResources summary={summary.value} />
          <FormControl
            variant="outlined"
            size="small"
            style={{ minWidth: 160 }}
          >
            <InputLabel id="hedgehog-severity-filter">Severity</InputLabel>
            <Select
              labelId="hedgehog-severity-filter"
              label="Severity"
              value={severity ?? ''}
              onChange={e =>
                onFilterChange({
                  ...filter,
                  severity: (e.target.value as FindingSeverity) || undefined,
                })
              }
              data-testid="severity-filter"
            >
              <MenuItem value="">Errors and warnings</MenuItem>
              <MenuItem value="error">Errors</MenuItem>
              <MenuItem value="warning">Warnings</MenuItem>
            </Select>
          </FormControl>
          <FilterSelect
            id="blocks-apply-filter"
            label="Blocks apply"
            anyLabel="Blocking or not"
            value={
              blocks === undefined
                ? undefined
                : (String(blocks) as 'true' | 'false')
            }
            options={BLOCKS_APPLY_OPTIONS}
            onChange={v =>
              onFilterChange({
                ...filter,
                blocksApply: v === undefined ? undefined : v === 'true',
              })
            }
            minWidth={200}
          />
          <FormControlLabel
            control={
              <Checkbox
                checked={isNew === true}
                onChange={e =>
                  onFilterChange({
                    ...filter,
                    new: e.target.checked ? true : undefined,
                  })
                }
              />
            }
            label="New since the previous sync"
          />
          {rule && (
            <Chip
              label={`rule ${rule}`}
              onDelete={() => onFilterChange({ ...filter, rule: undefined })}
            />
          )}
          {file && (
            <Chip
              label={`file ${file}`}
              onDelete={() => onFilterChange({ ...filter, file: undefined })}
            />
          )}
          <Box flexGrow={1} />
          {(['csv', 'json'] as const).map(format => (
            <Button
              key={format}
              variant="outlined"
              size="small"
              disabled={exporting !== undefined}
              onClick={() => download(format)}
            >
              {exporting === format
                ? 'Exporting…'
                : `Export ${format.toUpperCase()}`}
            </Button>
          ))}
        </Box>
        {exportError && (
          <Typography variant="body2" color="error">
            The export failed: {exportError}
          </Typography>
        )}
      </Grid>
      {summary.error && (
        <Grid item xs={12}>
          <ApiErrorPanel
            error={summary.error}
            title="Could not count the findings"
          />
        </Grid>
      )}
      {summary.value && (
        <>
          <Grid item xs={12} md={6}>
            <FindingGroups
              title="By rule"
              noun="rules"
              groups={summary.value.byRule}
              selected={rule}
              onSelect={key => onFilterChange({ ...filter, rule: key })}
              onShowMore={showMore}
              extra={
                onShowResources
                  ? key => ({
                      label: 'resources',
                      onClick: () => onShowResources(key),
                    })
                  : undefined
              }
            />
          </Grid>
          <Grid item xs={12} md={6}>
            <FindingGroups
              title="By file"
              noun="files"
              groups={summary.value.byFile}
              selected={file}
              onSelect={key => onFilterChange({ ...filter, file: key })}
              onShowMore={showMore}
            />
          </Grid>
        </>
      )}
      <Grid item xs={12}>
        <FindingsTable
          title="Findings"
          load={(offset, limit) =>
            api.listFindings(fabric, { ...filter, offset, limit })
          }
          deps={[
            api,
            fabric,
            severity,
            rule,
            file,
            isNew,
            blocks,
            props.refreshKey,
          ]}
          onOpenResource={onOpenResource}
        />
      </Grid>
    </Grid>
  );
}

/** Says how many of the findings are on files that are not resources: the resources list does not count them. */
function OutsideResources(props: { summary?: FindingsSummary }) {
  const text = outsideResourcesText(props.summary?.outsideResources);
  if (!text) return null;
  return (
    <Typography variant="body2" data-testid="findings-outside-resources">
      {text} (raw files kept in unmanaged/, files that are not YAML): the
      resources list and its findings filters do not count them
    </Typography>
  );
}
