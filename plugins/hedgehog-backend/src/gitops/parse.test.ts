import fs from 'fs';
import path from 'path';
import { classifyDocument } from '@fabric-gitops/plugin-hedgehog-common';
import { DEFAULT_PARSE_LIMITS, ParsedDocument, ParsedFile, parseYamlFile } from './parse';

const SAMPLES = path.resolve(__dirname, '../../../../test/fixtures/samples');
const sample = (prefix: string) => {
  const name = fs.readdirSync(SAMPLES).find(n => n.startsWith(prefix) && n.endsWith('.yaml'))!;
  return fs.readFileSync(path.join(SAMPLES, name));
};

const bytes = (s: string) => Buffer.from(s, 'utf8');

function documentsOf(parsed: ParsedFile): ParsedDocument[] {
  if (!parsed.ok) throw new Error(`expected a readable file, got: ${parsed.reason}`);
  return parsed.documents;
}
const nonEmpty = (parsed: ParsedFile) => documentsOf(parsed).filter(d => !d.empty);

/** Independent count of documents: the `kind:` lines at column 0. */
function countDocsByRegex(text: string): number {
  return (text.match(/^kind:/gm) ?? []).length;
}

describe('parseYamlFile', () => {
  describe('sample files', () => {
    it.each([
      ['01', 4],
      ['02', 4],
      ['03', 0],
      ['04', 46],
      ['05', 20],
      ['07', 166],
    ])('sample %s has %i non-empty documents, none with an error', (prefix, count) => {
      const raw = sample(prefix);
      expect(countDocsByRegex(raw.toString('utf8'))).toBe(count);
      const docs = nonEmpty(parseYamlFile(raw));
      expect(docs).toHaveLength(count);
      expect(docs.filter(d => d.error)).toEqual([]);
      for (const d of docs) {
        expect(d.value).toEqual(expect.objectContaining({ apiVersion: expect.any(String), kind: expect.any(String) }));
      }
    });

    it('reads the comments-only sample 03 as a readable file with zero documents', () => {
      const parsed = parseYamlFile(sample('03'));
      expect(parsed.ok).toBe(true);
      expect(nonEmpty(parsed)).toEqual([]);
    });

    it('numbers documents by their position in the file', () => {
      const docs = documentsOf(parseYamlFile(sample('01')));
      expect(docs.map(d => d.index)).toEqual([0, 1, 2, 3]);
      expect(docs.map(d => (d.value as any).metadata.name)).toEqual([
        'demo-vpc-1',
        'demo-vpc-2',
        'demo-vpc-1--server-1--mclag--s5248-01--s5248-02',
        'demo-vpc-2--server-4--unbundled--s5248-02',
      ]);
    });

    it('keeps the decoded text of the file', () => {
      const raw = sample('02');
      const parsed = parseYamlFile(raw);
      expect(parsed.ok && parsed.text).toBe(raw.toString('utf8'));
    });
  });

  describe('multi-document files', () => {
    it('reads every document, counting empty ones in the index', () => {
      const docs = documentsOf(parseYamlFile(bytes('a: 1\n---\n---\nb: 2\n---\n# only a comment\n---\nc: [3]\n')));
      expect(docs.map(d => [d.index, d.empty, d.value])).toEqual([
        [0, false, { a: 1 }],
        [1, true, null],
        [2, false, { b: 2 }],
        [3, true, null],
        [4, false, { c: [3] }],
      ]);
    });

    it('treats a leading and a trailing `---` as empty documents', () => {
      const docs = documentsOf(parseYamlFile(bytes('---\nkind: VPC\n---\n')));
      expect(docs.filter(d => !d.empty).map(d => d.value)).toEqual([{ kind: 'VPC' }]);
      expect(docs.filter(d => d.empty)).toHaveLength(1);
    });

    it('treats an explicit `~` document as a (null) value, not as empty', () => {
      const docs = documentsOf(parseYamlFile(bytes('~\n')));
      expect(docs).toEqual([{ index: 0, empty: false, value: null, range: [0, 2] }]);
    });

    it('returns no documents for an empty file or one of only comments', () => {
      expect(documentsOf(parseYamlFile(bytes('')))).toEqual([]);
      expect(nonEmpty(parseYamlFile(bytes('# a\n# b\n')))).toEqual([]);
      expect(nonEmpty(parseYamlFile(bytes('# a\n---\n# b\n---\n')))).toEqual([]);
    });

    it('confines a syntax error to its own document', () => {
      const docs = documentsOf(parseYamlFile(bytes('a: 1\n---\nb: [1, 2\n---\nc: 3\n')));
      expect(docs).toHaveLength(3);
      expect(docs[0]).toEqual({ index: 0, empty: false, value: { a: 1 }, range: [0, 5] });
      expect(docs[1].value).toBeUndefined();
      expect(docs[1].error).toMatch(/^YAML error in document 2: .*at line 4, column 1$/);
      expect(docs[2]).toEqual({ index: 2, empty: false, value: { c: 3 }, range: [18, 27] });
    });

    it('refuses files with more documents than the limit', () => {
      const parsed = parseYamlFile(bytes('a: 1\n---\nb: 2\n---\nc: 3\n'), { ...DEFAULT_PARSE_LIMITS, maxDocuments: 2 });
      expect(parsed).toEqual({ ok: false, reason: expect.stringMatching(/3 documents; at most 2/) });
    });
  });

  describe('document ranges and comments', () => {
    const text = (t: string) => {
      const parsed = parseYamlFile(bytes(t));
      if (!parsed.ok) throw new Error(parsed.reason);
      return parsed;
    };

    it.each([
      ['a: 1\n---\nb: 2\n'],
      ['# file head\n---\na: 1\n# after a\n---\n# only a comment\n---\nb: 2\n...\n# after the end\n'],
      ['a: 1\n...\n# before b\nb: 2\n'],
      ['---\na: 1\n---\nb: [1, 2\n---\nc: 3'],
      ['%YAML 1.2\n---\na: 1\n...\n%YAML 1.2\n---\nb: 2\n'],
      ['a: 1\r\n---\r\n# c\r\nb: 2\r\n'],
      [''],
    ])('gives each document its own part of %j, the parts covering the whole text', t => {
      const parsed = text(t);
      let at = 0;
      for (const d of parsed.documents) {
        expect(d.range[0]).toBe(at);
        expect(d.range[1]).toBeGreaterThanOrEqual(d.range[0]);
        at = d.range[1];
      }
      expect(at).toBe(parsed.documents.length > 0 ? t.length : 0);
      expect(parsed.documents.map(d => t.slice(...d.range)).join('')).toBe(t);
    });

    it('puts the comments before a `---` into the document that follows, those after `...` too', () => {
      const parsed = text('a: 1\n---\n# about b\nb: 2\n...\n# about c\n---\nc: 3\n');
      expect(parsed.documents.map(d => parsed.text.slice(...d.range))).toEqual([
        'a: 1\n',
        '---\n# about b\nb: 2\n...\n',
        '# about c\n---\nc: 3\n',
      ]);
      expect(parsed.documents.map(d => d.comments?.head)).toEqual([undefined, ' about b', ' about c']);
    });

    it('reads the comments of a document by where they stand', () => {
      const parsed = text('# head\napiVersion: v1 # the version\nspec:\n  # before x\n  x: 1\n  list:\n    - a # first\n# tail\n');
      expect(parsed.documents[0].comments).toEqual({
        head: ' head',
        nodes: [
          { path: ['apiVersion'], after: ' the version' },
          { path: ['spec', 'x'], key: true, before: ' before x' },
          { path: ['spec', 'list', 0], after: ' first' },
        ],
        tail: ' tail',
      });
    });

    it('keeps the comments of empty documents, and those inside flow collections', () => {
      const parsed = text('a: {x: 1, # in a flow map\n  y: 2}\n---\n# alone\n');
      expect(parsed.documents[0].comments).toEqual({ nodes: [{ path: ['a', 'x'], after: ' in a flow map' }] });
      expect(parsed.documents[1]).toEqual(expect.objectContaining({ empty: true, comments: { tail: ' alone' } }));
    });

    it('does not take a `#` in a string or block scalar for a comment', () => {
      const parsed = text("a: 'x # y'\nb: |\n  # not a comment\nc: d#e\n");
      expect(parsed.documents[0].comments).toBeUndefined();
    });
  });

  describe('encodings and line endings', () => {
    it('strips a UTF-8 byte order mark', () => {
      const docs = documentsOf(parseYamlFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes('kind: VPC\n')])));
      expect(docs).toEqual([{ index: 0, empty: false, value: { kind: 'VPC' }, range: [0, 10] }]);
      expect(parseYamlFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes('kind: VPC\n')]))).toEqual(
        expect.objectContaining({ ok: true, bom: true, text: 'kind: VPC\n' }),
      );
      // The key is `kind`, not `\ufeffkind`.
      expect(Object.keys(docs[0].value as object)).toEqual(['kind']);
    });

    it('reads CRLF line endings like LF', () => {
      const lf = 'apiVersion: v1\nkind: VPC\nmetadata:\n  name: a\n---\nb: "x"\n';
      const crlf = lf.replace(/\n/g, '\r\n');
      const a = documentsOf(parseYamlFile(bytes(lf)));
      const b = documentsOf(parseYamlFile(bytes(crlf)));
      // the same documents; the ranges are in the file's own text
      const withoutRanges = (docs: ParsedDocument[]) => docs.map(({ range, ...d }) => d);
      expect(withoutRanges(b)).toEqual(withoutRanges(a));
      expect(b.map(d => d.range)).toEqual([
        [0, 49],
        [49, 62],
      ]);
      expect(JSON.stringify(b)).not.toContain('\\r');
    });

    it('reads non-ASCII UTF-8 text', () => {
      const docs = documentsOf(parseYamlFile(bytes('description: "Grüße – 日本 🦔"\n')));
      expect(docs[0].value).toEqual({ description: 'Grüße – 日本 🦔' });
    });

    it('refuses invalid UTF-8', () => {
      const parsed = parseYamlFile(Buffer.from([0x61, 0x3a, 0x20, 0xc3, 0x28, 0x0a]));
      expect(parsed).toEqual({ ok: false, reason: expect.stringMatching(/not valid UTF-8/) });
    });

    it('refuses Latin-1 text (valid in another encoding, invalid UTF-8)', () => {
      const parsed = parseYamlFile(Buffer.from('name: caf\xe9\n', 'latin1'));
      expect(parsed.ok).toBe(false);
    });

    it('refuses binary content (NUL bytes)', () => {
      const parsed = parseYamlFile(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x1a, 0x0a]));
      expect(parsed).toEqual({ ok: false, reason: expect.stringMatching(/binary/) });
      expect(parseYamlFile(bytes('a: 1\n\0b: 2\n')).ok).toBe(false);
    });

    it('refuses UTF-16 (it contains NUL bytes)', () => {
      expect(parseYamlFile(Buffer.from('\ufeffa: 1\n', 'utf16le')).ok).toBe(false);
    });
  });

  describe('limits', () => {
    it('refuses a file over the size limit without parsing it', () => {
      const limits = { ...DEFAULT_PARSE_LIMITS, maxFileBytes: 10 };
      expect(parseYamlFile(bytes('a: 12345\n'), limits).ok).toBe(true); // 9 bytes
      expect(parseYamlFile(bytes('a: 123456\n'), limits).ok).toBe(true); // exactly 10 bytes
      const parsed = parseYamlFile(bytes('a: 1234567\n'), limits); // 11 bytes
      expect(parsed).toEqual({ ok: false, tooLarge: true, reason: expect.stringMatching(/11 bytes.*over 10 bytes/) });
    });

    it('has a default size limit of 10 MiB', () => {
      expect(DEFAULT_PARSE_LIMITS.maxFileBytes).toBe(10 * 1024 * 1024);
      const big = Buffer.alloc(DEFAULT_PARSE_LIMITS.maxFileBytes + 1, 0x20);
      expect(parseYamlFile(big)).toEqual({ ok: false, tooLarge: true, reason: expect.stringMatching(/not parsed/) });
    });

    it('turns a billion-laughs alias bomb into an error of that document only, quickly', () => {
      const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
      const names = 'abcdefghij';
      for (let i = 1; i < names.length; i++) {
        lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(',')}]`);
      }
      const text = `kind: VPC\n---\n${lines.join('\n')}\n---\nkind: Switch\n`;
      const started = Date.now();
      const docs = documentsOf(parseYamlFile(bytes(text)));
      expect(Date.now() - started).toBeLessThan(2000);
      expect(docs).toHaveLength(3);
      expect(docs[0].value).toEqual({ kind: 'VPC' });
      expect(docs[1].value).toBeUndefined();
      expect(docs[1].error).toMatch(/^document 2 could not be read: .*alias/i);
      expect(docs[2].value).toEqual({ kind: 'Switch' });
    });

    it('still expands a few ordinary aliases', () => {
      const docs = documentsOf(parseYamlFile(bytes('a: &x {v: 1}\nb: *x\nc: [*x, *x]\n')));
      expect(docs[0].value).toEqual({ a: { v: 1 }, b: { v: 1 }, c: [{ v: 1 }, { v: 1 }] });
    });

    it('applies merge keys as Kubernetes does', () => {
      const docs = documentsOf(parseYamlFile(bytes('base: &b {x: 1, y: 2}\nspec:\n  <<: *b\n  y: 3\n')));
      expect(docs[0].value).toEqual({ base: { x: 1, y: 2 }, spec: { x: 1, y: 3 } });
    });
  });

  describe('document errors', () => {
    it('reports duplicate keys as an error', () => {
      const docs = documentsOf(parseYamlFile(bytes('metadata:\n  name: a\n  name: b\n')));
      expect(docs).toHaveLength(1);
      expect(docs[0].value).toBeUndefined();
      expect(docs[0].error).toMatch(/unique/i);
    });

    it('reports duplicate keys written differently (plain and quoted)', () => {
      const docs = documentsOf(parseYamlFile(bytes('kind: VPC\n"kind": Switch\n')));
      expect(docs[0].error).toMatch(/unique/i);
    });

    it('reports tabs used as indentation', () => {
      const docs = documentsOf(parseYamlFile(bytes('spec:\n\tvlan: 1\n')));
      expect(docs[0].error).toMatch(/tab/i);
    });

    it('reports inconsistent indentation', () => {
      const docs = documentsOf(parseYamlFile(bytes('spec:\n    a: 1\n  b: 2\n')));
      expect(docs[0].error).toEqual(expect.any(String));
      expect(docs[0].value).toBeUndefined();
    });

    it('keeps error messages to one line of bounded length', () => {
      const docs = documentsOf(parseYamlFile(bytes(`a: [${'x'.repeat(1000)}\n`)));
      expect(docs[0].error).toBeDefined();
      expect(docs[0].error).not.toContain('\n');
      expect(docs[0].error!.length).toBeLessThanOrEqual(400);
    });

    it('never throws, whatever the bytes', () => {
      const inputs = [
        '{', '}', '[', ']', ':', '- - -', '&', '*x', '!!', '%YAML 1.2\n---\n', '%FOO\n', '@x', '`x',
        '? a\n: b\n', 'a: !!int x\n', '... \n---\n...\n', '\u2028', 'a: "\\x"\n',
      ];
      for (const input of inputs) {
        expect(() => parseYamlFile(bytes(input))).not.toThrow();
      }
    });
  });

  describe('YAML 1.2 core schema', () => {
    it('does not read YAML 1.1 booleans, timestamps or octals', () => {
      const docs = documentsOf(parseYamlFile(bytes('a: yes\nb: 2001-01-01\nc: 0777\nd: true\ne: 0x10\nf: ~\n')));
      expect(docs[0].value).toEqual({ a: 'yes', b: '2001-01-01', c: 777, d: true, e: 16, f: null });
    });
  });
});

describe('samples read and classified as ingestion does', () => {
  it('classifies every managed document of sample 07', () => {
    const text = fs.readFileSync(path.join(SAMPLES, '07-nvidia-air-demo-include.yaml'));
    const parsed = parseYamlFile(text);
    if (!parsed.ok) throw new Error(parsed.reason);
    const classes = parsed.documents.filter(d => !d.empty).map(d => classifyDocument(d.value));
    expect(classes).toHaveLength(166);
    expect(classes.filter(c => c.type !== 'managed')).toEqual([]);
  });

  it('classifies the Gateway of sample 05 as unmanaged (namespace fab; Hedgehog requires default) and the rest as managed', () => {
    const parsed = parseYamlFile(fs.readFileSync(path.join(SAMPLES, '05-docs-sample-wiring-diagram.yaml')));
    if (!parsed.ok) throw new Error(parsed.reason);
    const classes = parsed.documents.filter(d => !d.empty).map(d => classifyDocument(d.value));
    const unmanaged = classes.filter(c => c.type === 'unmanaged');
    expect(unmanaged).toEqual([
      expect.objectContaining({ rule: 'namespace', path: 'metadata.namespace', message: expect.stringContaining('Gateway gateway-1: namespace "fab"') }),
    ]);
    expect(classes.filter(c => c.type === 'managed')).toHaveLength(19);
  });
});
