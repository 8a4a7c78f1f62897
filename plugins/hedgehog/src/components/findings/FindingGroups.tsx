import { InfoCard, Link } from '@backstage/core-components';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  FindingGroup,
  ListResponse,
} from '@fabric-gitops/plugin-hedgehog-common';
import { nowrap, TruncatedPath } from '../shared/tables';
import { count, pageText } from './findingText';

/**
 * Findings counted by one key (rule or file), the largest groups first; a click
 * on a group filters the findings by it, the selected one clears the filter.
 */
export function FindingGroups(props: {
  title: string;
  /** "rules", "files" */
  noun: string;
  groups: ListResponse<FindingGroup>;
  selected?: string;
  onSelect(key?: string): void;
  /** A link beside each group (e.g. the resources with that rule). */
  extra?(key: string): { label: string; onClick(): void } | undefined;
  /** Lists more groups (shown while the card lists fewer than there are). */
  onShowMore?(): void;
}) {
  const { title, noun, groups, selected, onSelect, extra, onShowMore } = props;
  return (
    <InfoCard
      title={title}
      subheader={pageText(0, groups.items.length, groups.totalItems, noun)}
      noPadding
    >
      <Table size="small" aria-label={title}>
        <TableHead>
          <TableRow>
            <TableCell>{noun === 'rules' ? 'Rule' : 'File'}</TableCell>
            <TableCell align="right" style={nowrap}>
              Errors
            </TableCell>
            <TableCell align="right" style={nowrap}>
              Warnings
            </TableCell>
            <TableCell align="right" style={nowrap}>
              New
            </TableCell>
            {extra && <TableCell />}
          </TableRow>
        </TableHead>
        <TableBody>
          {groups.items.map(g => {
            const more = extra?.(g.key);
            const isSelected = g.key === selected;
            return (
              <TableRow
                key={g.key}
                hover
                selected={isSelected}
                data-testid={`group-${g.key}`}
              >
                <TableCell>
                  <Link
                    to="#"
                    onClick={e => {
                      e.preventDefault();
                      onSelect(isSelected ? undefined : g.key);
                    }}
                    title={
                      isSelected
                        ? 'Show the findings of every group'
                        : `Show only the findings of ${g.key}`
                    }
                  >
                    <TruncatedPath path={g.key} maxWidth="22em" />
                  </Link>
                </TableCell>
                <TableCell align="right" style={nowrap}>
                  <Typography
                    variant="body2"
                    color={g.errors ? 'error' : 'textPrimary'}
                  >
                    {count(g.errors)}
                  </Typography>
                </TableCell>
                <TableCell align="right" style={nowrap}>
                  {count(g.warnings)}
                </TableCell>
                <TableCell align="right" style={nowrap}>
                  {g.new ? count(g.new) : ''}
                </TableCell>
                {extra && (
                  <TableCell style={nowrap}>
                    {more && (
                      <Link
                        to="#"
                        onClick={e => {
                          e.preventDefault();
                          more.onClick();
                        }}
                      >
                        {more.label}
                      </Link>
                    )}
                  </TableCell>
                )}
              </TableRow>
            );
          })}
          {groups.items.length === 0 && (
            <TableRow>
              <TableCell colSpan={extra ? 5 : 4}>No findings.</TableCell>
            </TableRow>
          )}
          {onShowMore && groups.items.length < groups.totalItems && (
            <TableRow>
              <TableCell colSpan={extra ? 5 : 4}>
                <Link
                  to="#"
                  onClick={e => {
                    e.preventDefault();
                    onShowMore();
                  }}
                >
                  Show more {noun}
                </Link>
              </TableCell>
            </TableRow>
          )}
        </TableBody>
      </Table>
    </InfoCard>
  );
}
