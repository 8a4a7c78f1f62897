import { HEDGEHOG_KINDS, HedgehogKind } from './kinds';
import { KindScopeSetting, kindsOfScope } from './scope';

/*
 * The layout of a fabric's GitOps directory (`raw/`, `managed/<plural>/`,
 * `unmanaged/` with its `.reason.yaml` files, `.gitops/manifest.yaml`,
 * `README.md`), shared by the backend (which repairs missing layout files on
 * every sync) and the scaffolder (which writes them at bootstrap). Both must produce byte-identical files, or a
 * freshly bootstrapped fabric would be "repaired" by its first sync.
 */

/** Folder users drop raw YAML into. @public */
export const RAW_DIR = 'raw';
/** Folder of the canonical, one-resource-per-file definitions. @public */
export const MANAGED_DIR = 'managed';
/** Folder of everything that is not a managed resource, kept verbatim. @public */
export const UNMANAGED_DIR = 'unmanaged';
/** The layout manifest. @public */
export const MANIFEST_PATH = '.gitops/manifest.yaml';
/** The README written at bootstrap. @public */
export const README_PATH = 'README.md';
/** Layout folder of the earlier NetBox plugin (HNP), imported when found. @public */
export const LEGACY_HNP_DIR = '.hnp';
/** Placeholder that keeps an empty folder in Git. @public */
export const KEEP_FILE = '.gitkeep';
/** Suffix of the file next to an unmanaged file that says why it is unmanaged. @public */
export const REASON_SUFFIX = '.reason.yaml';
/** Version of the layout, written into the manifest. @public */
export const LAYOUT_VERSION = 1;

/**
 * The file a managed resource lives in, relative to the fabric directory.
 *
 * @public
 */
export function managedPath(kind: HedgehogKind, name: string): string {
  return `${MANAGED_DIR}/${kind.plural}/${name}.yaml`;
}

/** The manifest's key for the kinds the fabric manages (a preset or a list of kinds). @public */
export const MANIFEST_SCOPE_KEY = 'scope';

/**
 * The content of `.gitops/manifest.yaml` for a fabric: layout version, fabric
 * name, the kinds it manages when `scope` is given (key `scope`: a preset or a
 * list), the three folders and the folder of each kind (of `kinds`: by default
 * those of `scope`, else all). Deterministic (nothing volatile), so rewriting it
 * never changes a repository.
 *
 * @public
 */
export function manifestContent(
  fabricName: string,
  scope?: KindScopeSetting,
  kinds: readonly string[] = scope ? kindsOfScope(scope) : HEDGEHOG_KINDS.map(k => k.kind),
): string {
  const lines = [
    `layoutVersion: ${LAYOUT_VERSION}`,
    `fabric: ${yamlString(fabricName)}`,
    ...(scope ? [`${MANIFEST_SCOPE_KEY}: ${typeof scope === 'string' ? scope : `[${scope.join(', ')}]`}`] : []),
    'directories:',
    `  raw: ${RAW_DIR}`,
    `  managed: ${MANAGED_DIR}`,
    `  unmanaged: ${UNMANAGED_DIR}`,
    'kinds:',
    ...HEDGEHOG_KINDS.filter(k => kinds.includes(k.kind)).map(k => `  ${k.kind}: ${MANAGED_DIR}/${k.plural}`),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * The README written into a fabric directory that has none.
 *
 * @public
 */
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
    'A document that defines a resource that already exists with other content is a conflict: the document',
    'stays in its raw file in `raw/` until you resolve it (edit the managed file, or remove the document).',
    '',
  ].join('\n');
}

/**
 * Files every fabric directory must have, relative to the fabric directory:
 * `raw/`, `managed/<plural>/` for each kind the fabric manages (all 12 by default)
 * and `unmanaged/` (each kept by a `.gitkeep`), the manifest and the README. A
 * sync adds the missing ones (repair, with the fabric's `kinds` and no `scope`:
 * a repaired manifest never decides the scope); the scaffolder writes all of them
 * at bootstrap, with the `scope` asked for.
 *
 * @public
 */
export function layoutFiles(
  fabricName: string,
  scope?: KindScopeSetting,
  kinds: readonly string[] = scope ? kindsOfScope(scope) : HEDGEHOG_KINDS.map(k => k.kind),
): Array<{ path: string; content: string }> {
  return [
    { path: `${RAW_DIR}/${KEEP_FILE}`, content: '' },
    ...HEDGEHOG_KINDS.filter(k => kinds.includes(k.kind)).map(k => ({
      path: `${MANAGED_DIR}/${k.plural}/${KEEP_FILE}`,
      content: '',
    })),
    { path: `${UNMANAGED_DIR}/${KEEP_FILE}`, content: '' },
    { path: MANIFEST_PATH, content: manifestContent(fabricName, scope, kinds) },
    { path: README_PATH, content: readmeContent(fabricName) },
  ];
}

/**
 * A YAML 1.2 (core schema) scalar for a string: plain when it reads back as the
 * same string, double-quoted otherwise (as the `yaml` package writes it).
 */
function yamlString(s: string): string {
  const plainSafe = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(s);
  const readsAsOther =
    /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE)$/.test(s) ||
    /^[-+]?[0-9]+$/.test(s) ||
    /^0o[0-7]+$/.test(s) ||
    /^0x[0-9a-fA-F]+$/.test(s) ||
    /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(s);
  return plainSafe && !readsAsOther ? s : JSON.stringify(s);
}
