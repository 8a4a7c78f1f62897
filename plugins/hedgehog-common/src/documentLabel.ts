/**
 * How a document of a multi-document YAML file is named to people: numbered from
 * 1, as an editor counts them. The API, run records, reason files and the
 * `githedgehog.com/source-index` annotation carry the 0-based index.
 *
 * @public
 */
export function documentLabel(index: number): string {
  return `document ${index + 1}`;
}
