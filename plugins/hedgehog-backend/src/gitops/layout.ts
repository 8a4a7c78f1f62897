/*
 * Folders and files of a fabric's GitOps directory (docs/architecture.md#the-gitops-directory). The
 * layout itself lives in -common so the scaffolder's bootstrap writes exactly what
 * a sync would repair; this module re-exports it under the names the pipeline uses
 * and adds the path helpers only ingestion needs.
 */
export {
  RAW_DIR,
  MANAGED_DIR,
  UNMANAGED_DIR,
  MANIFEST_PATH,
  README_PATH,
  LEGACY_HNP_DIR,
  KEEP_FILE,
  REASON_SUFFIX,
  LAYOUT_VERSION,
  managedPath,
  manifestContent,
  readmeContent,
  layoutFiles,
} from '@fabric-gitops/plugin-hedgehog-common';

/** Whether a path (relative to the fabric directory) is inside a folder. */
export function isUnder(path: string, dir: string): boolean {
  // (no string built: called for every entry of a fabric on every sync)
  return path.length > dir.length && path.charCodeAt(dir.length) === 47 /* / */ && path.startsWith(dir);
}

/** Whether a file name looks like YAML. */
export function isYamlFileName(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}
