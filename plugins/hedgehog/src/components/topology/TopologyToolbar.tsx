import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import ButtonGroup from '@material-ui/core/ButtonGroup';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';

export interface TopologyToolbarProps {
  /** What the last search found, in words. */
  searchMessage?: string;
  searchFailed?: boolean;
  onSearch(query: string): void;
  zoom: number;
  onZoom(zoom: number | 'fit'): void;
  onExport(format: 'svg' | 'png'): void;
  exporting?: boolean;
  /** Shown when groups of servers are expanded. */
  onCollapse?: () => void;
}

/** Above the drawing: find a device, zoom, collapse the expanded servers, export the picture. */
export function TopologyToolbar(props: TopologyToolbarProps) {
  const {
    searchMessage,
    searchFailed,
    onSearch,
    zoom,
    onZoom,
    onExport,
    exporting,
    onCollapse,
  } = props;
  const [query, setQuery] = useState('');
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      alignItems="center"
      mb={1}
      style={{ gap: 12 }}
    >
      <form
        role="search"
        onSubmit={e => {
          e.preventDefault();
          onSearch(query);
        }}
        style={{ display: 'flex', alignItems: 'center', gap: 8 }}
      >
        <TextField
          size="small"
          variant="outlined"
          label="Find a switch or server"
          value={query}
          onChange={e => setQuery(e.target.value)}
          inputProps={{ 'aria-label': 'Find a switch or server' }}
        />
        <Button
          type="submit"
          variant="outlined"
          size="small"
          disabled={!query.trim()}
        >
          Find
        </Button>
      </form>
      {searchMessage && (
        <Typography
          variant="body2"
          role="status"
          color={searchFailed ? 'error' : 'textPrimary'}
        >
          {searchMessage}
        </Typography>
      )}
      <Box flexGrow={1} />
      {onCollapse && (
        <Button size="small" variant="outlined" onClick={onCollapse}>
          Collapse servers
        </Button>
      )}
      <ButtonGroup size="small" variant="outlined" aria-label="Zoom">
        <Button onClick={() => onZoom(zoom / 1.25)} aria-label="Zoom out">
          −
        </Button>
        <Button onClick={() => onZoom(1)} aria-label="Actual size">
          {Math.round(zoom * 100)} %
        </Button>
        <Button onClick={() => onZoom(zoom * 1.25)} aria-label="Zoom in">
          +
        </Button>
        <Button onClick={() => onZoom('fit')}>Fit</Button>
      </ButtonGroup>
      <ButtonGroup
        size="small"
        variant="outlined"
        aria-label="Export"
        disabled={exporting}
      >
        <Button onClick={() => onExport('svg')}>Export SVG</Button>
        <Button onClick={() => onExport('png')}>Export PNG</Button>
      </ButtonGroup>
    </Box>
  );
}
