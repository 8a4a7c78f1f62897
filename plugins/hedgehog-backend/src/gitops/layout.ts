import { HEDGEHOG_KINDS, HedgehogKind } from '@fabric-gitops/plugin-hedgehog-common';
import { stringify } from 'yaml';

/** Folders of a fabric's GitOps directory (DESIGN.md section 4). */
export const RAW_DIR = 'raw';
export const MANAGED_DIR = 'managed';
export const UNMANAGED_DIR = 'unmanaged';
export const MANIFEST_PATH = '.gitops/manifest.yaml';
export const README_PATH = 'README.md';
export const LEGACY_HNP_DIR = '.hnp';
export const KEEP_FILE = '.gitkeep';
export const REASON_SUFFIX = '.reason.yaml';
export const LAYOUT_VERSION = 1;

/** The file a managed resource lives in, relative to the fabric directory. */
export function managedPath(kind: HedgehogKind, name: string): string {
  return `${MANAGED_DIR}/${kind.plural}/${name}.yaml`;
}

/** Whether a path (relative to the fabric directory) is inside a folder. */
export function isUnder(path: string, dir: string): boolean {
  return path.startsWith(`${dir}/`);
}

/** Whether a file name looks like YAML. */
export function isYamlFileName(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}

/** The content of `.gitops/manifest.yaml` for a fabric. */
export function manifestContent(fabricName: string): string {
  return stringify(
    {
      layoutVersion: LAYOUT_VERSION,
      fabric: fabricName,
      directories: { raw: RAW_DIR, managed: MANAGED_DIR, unmanaged: UNMANAGED_DIR },
      kinds: Object.fromEntries(
        HEDGEHOG_KINDS.map(k => [k.kind, `${MANAGED_DIR}/${k.plural}`]),
      ),
    },
    { lineWidth: 0 },
  );
}

/** The README written into a fabric directory that has none. */
export function readmeContent(fabricName: string): string {
  return [
    `# Hedgehog fabric \`${fabricName}\``,
    '',
    'This directory is the desired state of a Hedgehog fabric, kept by the Backstage',
    'Hedgehog plugin. Git is the source of truth: the plugin reads it, never the other way round.',
    '',
    '| folder | what it holds |',
    '| --- | --- |',
    '| `raw/` | drop `*.yaml` files here (multi-document, nested folders allowed); the next sync ingests them |',
    '| `managed/<kind>/<name>.yaml` | one resource per file in canonical form; edit these directly to change a resource |',
    '| `unmanaged/` | anything that is not a Hedgehog resource, kept byte for byte, with a `.reason.yaml` beside it |',
    '| `.gitops/manifest.yaml` | layout version and the folder of each kind |',
    '',
    'A document that defines a resource that already exists with other content is a conflict: the raw',
    'file stays in `raw/` until you resolve it (edit the managed file, or remove the raw file).',
    '',
  ].join('\n');
}

/**
 * Files every fabric directory must have. A sync adds the missing ones (repair);
 * existing files are never rewritten.
 */
export function layoutFiles(fabricName: string): Array<{ path: string; content: string }> {
  return [
    { path: `${RAW_DIR}/${KEEP_FILE}`, content: '' },
    ...HEDGEHOG_KINDS.map(k => ({
      path: `${MANAGED_DIR}/${k.plural}/${KEEP_FILE}`,
      content: '',
    })),
    { path: `${UNMANAGED_DIR}/${KEEP_FILE}`, content: '' },
    { path: MANIFEST_PATH, content: manifestContent(fabricName) },
    { path: README_PATH, content: readmeContent(fabricName) },
  ];
}
