import { makeStyles } from '@material-ui/core/styles';
import { useMemo } from 'react';
import { DiffCell, DiffRow, sideBySide } from './sideBySide';

const useStyles = makeStyles(theme => {
  const dark = theme.palette.type === 'dark';
  return {
    table: {
      width: '100%',
      borderCollapse: 'collapse',
      tableLayout: 'fixed',
      fontFamily: 'monospace',
      fontSize: 12,
      lineHeight: '18px',
    },
    head: {
      textAlign: 'left',
      fontFamily: theme.typography.fontFamily,
      fontWeight: 600,
      padding: theme.spacing(0.5, 1),
      borderBottom: `1px solid ${theme.palette.divider}`,
    },
    number: {
      width: 40,
      textAlign: 'right',
      padding: '0 8px',
      color: theme.palette.text.secondary,
      userSelect: 'none',
      verticalAlign: 'top',
    },
    text: {
      whiteSpace: 'pre-wrap',
      wordBreak: 'break-all',
      padding: '0 8px',
      verticalAlign: 'top',
    },
    divider: { borderLeft: `1px solid ${theme.palette.divider}` },
    removed: { backgroundColor: dark ? 'rgba(248,81,73,0.25)' : '#ffebe9' },
    added: { backgroundColor: dark ? 'rgba(46,160,67,0.25)' : '#e6ffec' },
    empty: { backgroundColor: theme.palette.action.hover },
  };
});

/**
 * Two texts side by side, line by line, with the lines that differ highlighted: red on the left
 * (what the left has that the right has not), green on the right. Each row carries its change
 * (`data-change`: same, changed, removed, added).
 */
export function SideBySideDiff(props: {
  left: string;
  right: string;
  leftTitle: string;
  rightTitle: string;
  testId?: string;
}) {
  const { left, right, leftTitle, rightTitle, testId } = props;
  const classes = useStyles();
  const rows = useMemo(() => sideBySide(left, right), [left, right]);
  const cells = (
    cell: DiffCell | undefined,
    row: DiffRow,
    side: 'left' | 'right',
  ) => {
    const changed = row.type !== 'same';
    let tint = '';
    if (!cell) tint = classes.empty;
    else if (changed) tint = side === 'left' ? classes.removed : classes.added;
    const edge = side === 'right' ? classes.divider : '';
    return (
      <>
        <td className={`${classes.number} ${edge} ${tint}`}>{cell?.line}</td>
        <td
          className={`${classes.text} ${tint}`}
          data-side={side}
          data-highlighted={changed && cell ? 'true' : undefined}
        >
          {cell?.text}
        </td>
      </>
    );
  };
  return (
    <table
      className={classes.table}
      data-testid={testId}
      aria-label={`${leftTitle} and ${rightTitle}, side by side`}
    >
      <colgroup>
        <col style={{ width: 40 }} />
        <col />
        <col style={{ width: 40 }} />
        <col />
      </colgroup>
      <thead>
        <tr>
          <th colSpan={2} className={classes.head}>
            {leftTitle}
          </th>
          <th colSpan={2} className={`${classes.head} ${classes.divider}`}>
            {rightTitle}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={i} data-change={row.type}>
            {cells(row.left, row, 'left')}
            {cells(row.right, row, 'right')}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
