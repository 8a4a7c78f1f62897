import { readFileSync } from 'fs';
import path from 'path';
import { parseYamlFile } from '../../gitops/parse';
import { FabricDocument } from '../validateFabric';

export const SAMPLES_DIR = path.resolve(__dirname, '../../../../../test/fixtures/samples');

/** The non-empty documents of a sample file, as the validator takes them. */
export function sampleDocuments(file: string, as = `raw/${file}`): FabricDocument[] {
  const parsed = parseYamlFile(readFileSync(path.join(SAMPLES_DIR, file)));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.documents.filter(d => !d.empty).map(d => ({ file: as, document: d.index, object: d.value }));
}
