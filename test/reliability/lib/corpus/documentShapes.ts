/* Bad-input corpus: document shapes. */
import { BadInputCase, NO_DOCS, sg, unmanaged } from './badInputCase';

export function documentShapeCases(): BadInputCase[] {
  return [
    {
      title: 'a document that is a list',
      files: { 'raw/list.yaml': `- ${sg('in-a-list').split('\n').join('\n  ')}\n` },
      expect: { 'raw/list.yaml': unmanaged(/is a list/) },
    },
    {
      title: 'a document that is a scalar',
      files: { 'raw/scalar.yaml': 'just a string, not an object\n' },
      expect: { 'raw/scalar.yaml': unmanaged(/is a string/) },
    },
    {
      title: 'a document that is an explicit null',
      files: { 'raw/null.yaml': '~\n' },
      expect: { 'raw/null.yaml': unmanaged(NO_DOCS) },
    },
    {
      title: 'a file of only comments',
      files: { 'raw/comments.yaml': '# nothing here yet\n# apiVersion: wiring.githedgehog.com/v1beta1\n' },
      expect: { 'raw/comments.yaml': unmanaged(NO_DOCS) },
    },
    {
      title: 'an empty file',
      files: { 'raw/empty.yaml': '' },
      expect: { 'raw/empty.yaml': unmanaged(NO_DOCS) },
    },
    {
      title: 'only document separators',
      files: { 'raw/separators.yaml': '---\n---\n...\n---\n' },
      expect: { 'raw/separators.yaml': unmanaged(NO_DOCS) },
    },
  ];
}
