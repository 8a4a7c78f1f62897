import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';

/**
 * A filter of a table: a small outlined select whose first option ("any …",
 * the empty value) clears it; `onChange` gets undefined for it.
 */
export function FilterSelect<T extends string>(props: {
  /** Names the label's element (`hedgehog-<id>`) and the test id (`<id>`). */
  id: string;
  label: string;
  /** The text of the option that clears the filter. */
  anyLabel: string;
  value: T | undefined;
  options: ReadonlyArray<{ value: T; label: string }>;
  onChange(value: T | undefined): void;
  minWidth: number;
}) {
  const { id, label, anyLabel, value, options, onChange, minWidth } = props;
  return (
    <FormControl variant="outlined" size="small" style={{ minWidth }}>
      <InputLabel id={`hedgehog-${id}`}>{label}</InputLabel>
      <Select
        labelId={`hedgehog-${id}`}
        label={label}
        value={value ?? ''}
        onChange={e => onChange((e.target.value as T) || undefined)}
        data-testid={id}
      >
        <MenuItem value="">{anyLabel}</MenuItem>
        {options.map(o => (
          <MenuItem key={o.value} value={o.value}>
            {o.label}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}
