import { VALIDATION_RULE_LIST } from '@fabric-gitops/plugin-hedgehog-common';
import { FilterSelect } from '../shared/FilterSelect';
import type { ResourceFilters } from './ResourcesTable';

const FINDINGS_OPTIONS: ReadonlyArray<{ value: NonNullable<ResourceFilters['findings']>; label: string }> = [
  { value: 'errors', label: 'Has errors' },
  { value: 'warnings', label: 'Has warnings' },
];

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
      <FilterSelect
        id="findings-filter"
        label="Findings"
        anyLabel="Any findings"
        value={filters.findings}
        options={FINDINGS_OPTIONS}
        onChange={findings => onChange({ ...filters, findings })}
        minWidth={200}
      />
      <FilterSelect
        id="rule-filter"
        label="Rule"
        anyLabel="Any rule"
        value={filters.rule}
        options={ruleIds(filters.rule).map(id => ({ value: id, label: id }))}
        onChange={rule => onChange({ ...filters, rule })}
        minWidth={240}
      />
    </>
  );
}
