import { readReasonFile, renderReasonFile } from './reasonFile';

describe('reason files', () => {
  it('reads back what the ingestion wrote, with the rule (the findings of kept files carry it)', () => {
    const text = renderReasonFile(
      'raw/old-vpcs.yaml',
      [
        { document: 1, rule: 'api-version', message: 'apiVersion vpc.githedgehog.com/v1alpha2 is not supported' },
        { rule: 'yaml', message: 'not a YAML file' },
      ],
      [{ document: 1, kind: 'VPC' }],
    );
    expect(text).toContain('rule: api-version');
    // the document's 0-based index, under the same key as in `documents`
    expect(text).toContain('- index: 1\n    rule: api-version');
    expect(readReasonFile('unmanaged/old-vpcs.yaml', text)).toEqual({
      path: 'unmanaged/old-vpcs.yaml',
      originalPath: 'raw/old-vpcs.yaml',
      reasons: [
        { document: 1, rule: 'api-version', message: 'apiVersion vpc.githedgehog.com/v1alpha2 is not supported' },
        { rule: 'yaml', message: 'not a YAML file' },
      ],
    });
  });

  it('reads the index of files written when its key was `document`', () => {
    const text = 'source: raw/a.yaml\nreasons:\n  - document: 2\n    rule: yaml\n    message: YAML error in document 3\n';
    expect(readReasonFile('unmanaged/a.yaml', text).reasons).toEqual([{ document: 2, rule: 'yaml', message: 'YAML error in document 3' }]);
  });

  it('describes a reason file edited into something else', () => {
    expect(readReasonFile('unmanaged/a.txt', 'reasons: [unclosed')).toEqual({
      path: 'unmanaged/a.txt',
      originalPath: 'unmanaged/a.txt',
      reasons: [{ message: 'the reason file could not be read' }],
    });
    expect(readReasonFile('unmanaged/b.txt', 'just text')).toEqual({ path: 'unmanaged/b.txt', originalPath: 'unmanaged/b.txt', reasons: [] });
  });
});
