/**
 * For `jest.mock('@backstage/core-components', ...)`: core-components whose
 * Table records the `columns` prop of every render in `renderedColumns`, to
 * check that a view hands material-table the same columns each time (new
 * column functions reset its state).
 */
export const renderedColumns: unknown[] = [];

/** The distinct column arrays rendered by the tables with this title. */
export function distinctColumnsOf(title: string): number {
  return new Set(
    renderedColumns
      .filter(r => (r as { title?: unknown }).title === title)
      .map(r => (r as { columns: unknown }).columns),
  ).size;
}

export function coreComponentsRecordingColumns() {
  const actual = jest.requireActual('@backstage/core-components');
  const { createElement } = jest.requireActual('react');
  return {
    ...actual,
    Table: (props: { columns: unknown; title?: unknown }) => {
      renderedColumns.push({ title: props.title, columns: props.columns });
      return createElement(actual.Table, props);
    },
  };
}

/**
 * Turns on material-table's development checks (they only run when NODE_ENV is
 * `development`) and records what it warns; `restore()` undoes both.
 */
export function recordTableWarnings(): {
  warnings(): string[];
  restore(): void;
} {
  const env = process.env.NODE_ENV;
  process.env.NODE_ENV = 'development';
  const warn = jest.spyOn(console, 'warn');
  return {
    warnings: () =>
      warn.mock.calls
        .map(args => String(args[0]))
        .filter(m => /material table|the table requires/i.test(m)),
    restore: () => {
      warn.mockRestore();
      process.env.NODE_ENV = env;
    },
  };
}
