import { Button, Flex, Text, TextField } from '@backstage/ui';
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

/**
 * Above the drawing: find a device, zoom, collapse the expanded servers, export the picture.
 * Built with `@backstage/ui` (BUI): its buttons and field are React Aria components.
 */
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
    // bg: BUI's buttons and field take the next neutral shade on it (the card around is MUI)
    <Flex
      bg="neutral"
      align="center"
      gap="3"
      mb="2"
      style={{ flexWrap: 'wrap' }}
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
          aria-label="Find a switch or server"
          placeholder="Find a switch or server"
          value={query}
          onChange={setQuery}
          style={{ width: 240 }}
        />
        <Button
          type="submit"
          variant="secondary"
          size="small"
          isDisabled={!query.trim()}
        >
          Find
        </Button>
      </form>
      {searchMessage && (
        <Text
          variant="body-medium"
          role="status"
          color={searchFailed ? 'danger' : 'primary'}
        >
          {searchMessage}
        </Text>
      )}
      <div style={{ flexGrow: 1 }} />
      {onCollapse && (
        <Button size="small" variant="secondary" onPress={onCollapse}>
          Collapse servers
        </Button>
      )}
      <Flex role="group" aria-label="Zoom" align="center" gap="1">
        <Button
          size="small"
          variant="secondary"
          onPress={() => onZoom(zoom / 1.25)}
          aria-label="Zoom out"
        >
          −
        </Button>
        <Button
          size="small"
          variant="tertiary"
          onPress={() => onZoom(1)}
          aria-label="Actual size"
        >
          {Math.round(zoom * 100)} %
        </Button>
        <Button
          size="small"
          variant="secondary"
          onPress={() => onZoom(zoom * 1.25)}
          aria-label="Zoom in"
        >
          +
        </Button>
        <Button size="small" variant="secondary" onPress={() => onZoom('fit')}>
          Fit
        </Button>
      </Flex>
      <Flex role="group" aria-label="Export" align="center" gap="1">
        <Button
          size="small"
          variant="secondary"
          isDisabled={exporting}
          onPress={() => onExport('svg')}
        >
          Export SVG
        </Button>
        <Button
          size="small"
          variant="secondary"
          isDisabled={exporting}
          onPress={() => onExport('png')}
        >
          Export PNG
        </Button>
      </Flex>
    </Flex>
  );
}
