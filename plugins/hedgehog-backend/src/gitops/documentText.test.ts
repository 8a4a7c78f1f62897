import { documentSpans, documentsText } from './documentText';
import { parseYamlFile } from './parse';

function read(text: string | Buffer) {
  const parsed = parseYamlFile(Buffer.isBuffer(text) ? text : Buffer.from(text));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed;
}

describe('documentSpans', () => {
  it('gives each non-empty document a span; the spans follow one another and cover the file', () => {
    const text = '# file head\n---\na: 1\n---\n# only a comment\n---\nb: 2\n---\n# trailing\n';
    const parsed = read(text);
    const spans = documentSpans(parsed);
    expect([...spans.keys()]).toEqual([0, 2]);
    expect([...spans.values()].map(s => text.slice(s.start, s.end))).toEqual([
      '# file head\n---\na: 1\n',
      '---\n# only a comment\n---\nb: 2\n---\n# trailing\n',
    ]);
    // the comments of the empty documents go with the document of their span
    expect(spans.get(2)!.comments).toEqual({ head: ' only a comment', tail: ' trailing' });
  });

  it('is empty for a file without documents', () => {
    expect(documentSpans(read('# nothing\n')).size).toBe(0);
  });
});

describe('documentsText', () => {
  const text = (t: string | Buffer, indexes: number[]) => {
    const parsed = read(t);
    return documentsText(parsed, documentSpans(parsed), indexes);
  };

  it('is the documents as written, in file order, and the whole file for all of them', () => {
    const t = 'a: 1 # one\n---\n# two\nb: 2\n---\nc: 3\n';
    expect(text(t, [2, 0])).toBe('a: 1 # one\n---\nc: 3\n');
    expect(text(t, [1])).toBe('---\n# two\nb: 2\n');
    expect(text(t, [0, 1, 2])).toBe(t);
  });

  it('puts a `---` before a document that came after a `...` and no longer follows it', () => {
    const t = 'a: 1\n...\nb: 2\n...\nc: 3\n';
    expect(text(t, [0, 2])).toBe('a: 1\n...\n---\nc: 3\n');
    expect(text(t, [1, 2])).toBe('b: 2\n...\nc: 3\n');
    const again = read(text(t, [0, 2]));
    expect(again.documents.map(d => d.value)).toEqual([{ a: 1 }, { c: 3 }]);
  });

  it('puts a `...` before directives that no longer follow one', () => {
    const t = 'a: 1\n---\nb: 2\n...\n%YAML 1.2\n---\nc: 3\n';
    const out = text(t, [0, 2]);
    expect(out).toBe('a: 1\n...\n%YAML 1.2\n---\nc: 3\n');
    expect(read(out).documents.map(d => d.value)).toEqual([{ a: 1 }, { c: 3 }]);
  });

  it('keeps the byte order mark with the first document', () => {
    const t = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a: 1\n---\nb: 2\n')]);
    expect(text(t, [0])).toBe('\ufeffa: 1\n');
    expect(text(t, [1])).toBe('---\nb: 2\n');
  });
});
