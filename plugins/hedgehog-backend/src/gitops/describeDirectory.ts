import {
  FabricProbe,
  MANAGED_DIR,
  MANIFEST_PATH,
  ProbeFolder,
  ProbeLayout,
  RAW_DIR,
  UNMANAGED_DIR,
} from '@fabric-gitops/plugin-hedgehog-common';

export type DirectorySummary = NonNullable<FabricProbe['directory']>;

const isYaml = (p: string) => /\.ya?ml$/i.test(p);

function folder(paths: string[], dir: string): ProbeFolder {
  const inside = paths.filter(p => p.startsWith(`${dir}/`));
  return { files: inside.length, yamlFiles: inside.filter(isYaml).length };
}

/**
 * What a fabric directory holds, from the paths of its files (relative to the
 * directory, as Git lists them), and what that means for adding it as a fabric.
 * Pure: the probe lists, this describes.
 */
export function describeDirectory(
  paths: string[],
  truncated: boolean,
): { directory: DirectorySummary; layout: ProbeLayout; advice: string } {
  const raw = folder(paths, RAW_DIR);
  const managed = folder(paths, MANAGED_DIR);
  const unmanaged = folder(paths, UNMANAGED_DIR);
  const manifest = paths.includes(MANIFEST_PATH);
  const catalogInfo = paths.includes('catalog-info.yaml');
  const inFolders = (p: string) => [RAW_DIR, MANAGED_DIR, UNMANAGED_DIR, '.gitops'].some(d => p.startsWith(`${d}/`));
  const otherYamlFiles = paths.filter(p => isYaml(p) && !inFolders(p) && p !== 'catalog-info.yaml').length;
  const directory: DirectorySummary = {
    exists: paths.length > 0,
    raw,
    managed,
    unmanaged,
    manifest,
    catalogInfo,
    otherYamlFiles,
    totalFiles: paths.length,
    truncated,
  };
  if (manifest || managed.files > 0) {
    return {
      directory,
      layout: 'fabric',
      advice: `A GitOps directory of this plugin: ${managed.yamlFiles} managed files, ${raw.yamlFiles} raw files waiting to be ingested, ${unmanaged.files} files kept in unmanaged/.`,
    };
  }
  if (raw.files > 0) {
    return {
      directory,
      layout: 'raw-only',
      advice: `raw/ holds ${raw.yamlFiles} YAML files and the rest of the layout is missing: the first sync ingests them into managed/ and adds the layout (with write mode push or pull-request).`,
    };
  }
  if (otherYamlFiles > 0) {
    return {
      directory,
      layout: 'yaml-outside-raw',
      advice: `${otherYamlFiles} YAML files, none under raw/: only files under raw/ are ingested. Move your Hedgehog YAML into raw/ (or choose the folder that holds raw/).`,
    };
  }
  return {
    directory,
    layout: 'needs-bootstrap',
    advice: paths.length === 0
      ? 'The directory does not exist or is empty: the first sync of a fabric with write mode push or pull-request creates the layout (raw/, managed/, unmanaged/, .gitops/manifest.yaml); then drop Hedgehog YAML into raw/.'
      : 'The directory holds no YAML: the first sync of a writing fabric adds the layout; then drop Hedgehog YAML into raw/.',
  };
}
