import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import { VALIDATION_RULE_LIST } from '@fabric-gitops/plugin-hedgehog-common';
import type { ResourceFilters } from './ResourcesTable';

/** The ids of every rule, and a rule of the URL that is not among them (kept, it matches nothing). */
function ruleIds(current?: string): string[] {
  const ids = VALIDATION_RULE_LIST.map(r => r.id);
  return current && !ids.includes(current) ? [current, ...ids] : ids;
}

/** Filters by findings: resources with errors or with warnings, and with a finding of a rule. */
export function FindingFilters(props: {
  filters: ResourceFilters;
  onChange(filters: ResourceFilters): void;
}) {
  const { filters, onChange } = props;
  return (
    <>
      <FormControl variant="outlined" size="small" style={{ minWidth: 200 }}>
        <InputLabel id="hedgehog-findings-filter">Findings</InputLabel>
        <Select
          labelId="hedgehog-findings-filter"
          label="Findings"
          value={filters.findings ?? ''}
          onChange={e =>
            onChange({
              ...filters,
              findings:
                (e.target.value as ResourceFilters['findings']) || undefined,
            })
          }
          data-testid="findings-filter"
        >
          <MenuItem value="">Any findings</MenuItem>
          <MenuItem value="errors">Has errors</MenuItem>
          <MenuItem value="warnings">Has warnings</MenuItem>
        </Select>
      </FormControl>
      <FormControl variant="outlined" size="small" style={{ minWidth: 240 }}>
        <InputLabel id="hedgehog-rule-filter">Rule</InputLabel>
        <Select
          labelId="hedgehog-rule-filter"
          label="Rule"
          value={filters.rule ?? ''}
          onChange={e =>
            onChange({
              ...filters,
              rule: (e.target.value as string) || undefined,
            })
          }
          data-testid="rule-filter"
        >
          <MenuItem value="">Any rule</MenuItem>
          {ruleIds(filters.rule).map(id => (
            <MenuItem key={id} value={id}>
              {id}
            </MenuItem>
          ))}
        </Select>
      </FormControl>
    </>
  );
}
