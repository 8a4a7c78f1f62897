/* Bad-input corpus: size, encoding, bytes. */
import { BadInputCase, MANAGED, sg, unmanaged, WIRING } from './badInputCase';

/** A file of `size` bytes: YAML comments followed by a valid resource. */
function bigYaml(size: number, name: string): Buffer {
  const tail = Buffer.from(`\n${sg(name)}`);
  const line = `# ${'padding '.repeat(12)}\n`;
  const head = Buffer.alloc(size - tail.length, line);
  head[head.length - 1] = 0x0a;
  return Buffer.concat([head, tail]);
}

const MAX_PARSE_BYTES = 10 * 1024 * 1024; // the backend's DEFAULT_PARSE_LIMITS.maxFileBytes

export function sizeAndEncodingCases(): BadInputCase[] {
  return [
    {
      title: 'a 20 MB file',
      files: { 'raw/twenty-mb.yaml': bigYaml(20 * 1024 * 1024, 'huge') },
      expect: { 'raw/twenty-mb.yaml': unmanaged(/bytes; files over \d+ bytes are not parsed/) },
    },
    {
      title: 'one byte over the parse size limit',
      files: { 'raw/over-limit.yaml': bigYaml(MAX_PARSE_BYTES + 1, 'over') },
      expect: { 'raw/over-limit.yaml': unmanaged(/bytes; files over \d+ bytes are not parsed/) },
    },
    {
      title: 'binary content (NUL bytes)',
      files: { 'raw/binary.yaml': Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), Buffer.alloc(512, 0xa5)]) },
      expect: { 'raw/binary.yaml': unmanaged(/binary/) },
    },
    {
      title: 'invalid UTF-8 (Latin-1 bytes)',
      files: { 'raw/latin1.yaml': Buffer.concat([Buffer.from(`apiVersion: ${WIRING}\nkind: SwitchGroup\nmetadata:\n  name: latin\nspec: {}\n# caf`), Buffer.from([0xe9, 0xff, 0xfe, 0x0a])]) },
      expect: { 'raw/latin1.yaml': unmanaged(/not valid UTF-8/) },
    },
    {
      title: 'UTF-16 with a byte-order mark',
      files: { 'raw/utf16.yaml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(sg('utf16'), 'utf16le')]) },
      expect: { 'raw/utf16.yaml': unmanaged(/binary|UTF-8/) },
    },
    {
      title: 'UTF-8 byte-order mark',
      files: { 'raw/bom.yaml': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(sg('with-bom'))]) },
      expect: { 'raw/bom.yaml': MANAGED },
    },
    {
      title: 'CRLF line endings',
      files: { 'raw/crlf.yaml': `${sg('crlf-a')}---\n${sg('crlf-b')}`.replace(/\n/g, '\r\n') },
      expect: { 'raw/crlf.yaml': MANAGED },
    },
    {
      title: 'JSON flow style in a .yaml file',
      files: { 'raw/flow.yaml': JSON.stringify({ apiVersion: WIRING, kind: 'SwitchGroup', metadata: { name: 'flow' }, spec: {} }) },
      expect: { 'raw/flow.yaml': MANAGED },
    },
  ];
}
