/*
 * The bad-input corpus of section 1: raw files (and a few managed files) that
 * users could drop into a fabric's raw/ folder, each with what the sync must do
 * with it. Every case becomes its own fabric (its own repository).
 */

/** What must become of one raw file. */
export type Outcome =
  /** Every document became a managed resource; the raw file is gone. */
  | { type: 'managed' }
  /** The original bytes were moved to unmanaged/ with a reason matching `reason`. */
  | { type: 'unmanaged'; reason: RegExp }
  /** Unmanaged (with reason), and these documents were also ingested into managed/. */
  | { type: 'mixed'; reason: RegExp; managed: string[] }
  /** A conflict: the raw file stays in raw/ unchanged and the run says why. */
  | { type: 'conflict'; reason: RegExp };

export interface BadInputCase {
  title: string;
  /** Files relative to the fabric directory (raw/..., managed/...). */
  files: Record<string, string | Buffer>;
  symlinks?: Record<string, string>;
  /** Expected outcome per raw file (every raw file of `files` and `symlinks`). */
  expect: Record<string, Outcome>;
  /** Files other than raw/ that must stay byte for byte (e.g. an existing managed file). */
  keep?: string[];
}

export const WIRING = 'wiring.githedgehog.com/v1beta1';
export const VPC_API = 'vpc.githedgehog.com/v1beta1';

/** A valid SwitchGroup (the kind with the fewest rules: spec may be empty). */
export const sg = (name: string, description = 'test') =>
  `apiVersion: ${WIRING}\nkind: SwitchGroup\nmetadata:\n  name: ${name}\n  labels:\n    team: netops\nspec: {}\n# ${description}\n`;

const unmanaged = (reason: RegExp): Outcome => ({ type: 'unmanaged', reason });
const MANAGED: Outcome = { type: 'managed' };
const YAML_ERROR = /YAML error|could not be read|YAML could not be parsed/;
const NO_DOCS = /holds no YAML documents/;

const aliasBomb = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
  'h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
  'i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]',
  '',
].join('\n');

/** A file of `size` bytes: YAML comments followed by a valid resource. */
function bigYaml(size: number, name: string): Buffer {
  const tail = Buffer.from(`\n${sg(name)}`);
  const line = `# ${'padding '.repeat(12)}\n`;
  const head = Buffer.alloc(size - tail.length, line);
  head[head.length - 1] = 0x0a;
  return Buffer.concat([head, tail]);
}

const MAX_PARSE_BYTES = 10 * 1024 * 1024; // the backend's DEFAULT_PARSE_LIMITS.maxFileBytes

function manySwitchGroups(n: number) {
  return Array.from({ length: n }, (_, i) => sg(`bulk-${String(i).padStart(4, '0')}`)).join('---\n');
}

const deepDirs = Array.from({ length: 40 }, (_, i) => `d${i}`).join('/');

export function badInputCorpus(outsideFile: string): BadInputCase[] {
  return [
    // ---- malformed YAML --------------------------------------------------------
    {
      title: 'unclosed double quote',
      files: { 'raw/unclosed-double.yaml': `apiVersion: ${WIRING}\nkind: SwitchGroup\nmetadata:\n  name: "oops\nspec: {}\n` },
      expect: { 'raw/unclosed-double.yaml': unmanaged(YAML_ERROR) },
    },
    {
      title: 'unclosed single quote',
      files: { 'raw/unclosed-single.yaml': `apiVersion: ${WIRING}\nkind: SwitchGroup\nmetadata:\n  name: 'oops\n` },
      expect: { 'raw/unclosed-single.yaml': unmanaged(YAML_ERROR) },
    },
    {
      title: 'bad indentation',
      files: { 'raw/bad-indent.yaml': `apiVersion: ${WIRING}\nkind: SwitchGroup\nmetadata:\n  name: bad-indent\n   labels: {}\n  spec: {}\n` },
      expect: { 'raw/bad-indent.yaml': unmanaged(YAML_ERROR) },
    },
    {
      title: 'tabs for indentation',
      files: { 'raw/tabs.yaml': `apiVersion: ${WIRING}\nkind: SwitchGroup\nmetadata:\n\tname: tabs\nspec: {}\n` },
      expect: { 'raw/tabs.yaml': unmanaged(YAML_ERROR) },
    },
    {
      title: 'alias bomb (billion laughs)',
      files: { 'raw/alias-bomb.yaml': aliasBomb },
      expect: { 'raw/alias-bomb.yaml': unmanaged(/alias|resource exhaustion/i) },
    },
    {
      title: 'nesting 20000 levels deep',
      files: { 'raw/deep-nesting.yaml': `spec: ${'['.repeat(20000)}${']'.repeat(20000)}\n` },
      expect: { 'raw/deep-nesting.yaml': unmanaged(/call stack|YAML error|could not be read/) },
    },
    {
      title: 'duplicate keys',
      files: { 'raw/duplicate-keys.yaml': `apiVersion: ${WIRING}\nkind: SwitchGroup\nmetadata:\n  name: dup\n  name: dup-2\nspec: {}\n` },
      expect: { 'raw/duplicate-keys.yaml': unmanaged(/unique|duplicate/i) },
    },
    {
      // Kubernetes' YAML reader (go-yaml) reads an unknown local tag as the plain
      // value; so does the sync: the resource is named `other`.
      title: 'an unknown local YAML tag',
      files: { 'raw/unknown-tag.yaml': `apiVersion: ${WIRING}\nkind: SwitchGroup\nmetadata:\n  name: !Ref other\nspec: {}\n` },
      expect: { 'raw/unknown-tag.yaml': MANAGED },
    },
    {
      title: 'a !!binary value as the name',
      files: { 'raw/binary-tag.yaml': `apiVersion: ${WIRING}\nkind: SwitchGroup\nmetadata:\n  name: !!binary aGVsbG8=\nspec: {}\n` },
      expect: { 'raw/binary-tag.yaml': unmanaged(/metadata\.name must be a non-empty string/) },
    },
    {
      title: 'more documents than the per-file limit (60000)',
      files: { 'raw/many-docs.yaml': '---\na: 1\n'.repeat(60_000) },
      expect: { 'raw/many-docs.yaml': unmanaged(/documents; at most/) },
    },
    // ---- size, encoding, bytes -------------------------------------------------
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
    // ---- document shapes ----------------------------------------------------------
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
    // ---- versions, kinds, groups ---------------------------------------------------
    {
      title: 'v1alpha2 of a managed kind',
      files: { 'raw/v1alpha2.yaml': sg('old-version').replace(WIRING, 'wiring.githedgehog.com/v1alpha2') },
      expect: { 'raw/v1alpha2.yaml': unmanaged(/apiVersion wiring\.githedgehog\.com\/v1alpha2 is not supported/) },
    },
    {
      title: 'an unknown version (v9)',
      files: { 'raw/v9.yaml': sg('future').replace(WIRING, 'wiring.githedgehog.com/v9') },
      expect: { 'raw/v9.yaml': unmanaged(/is not supported/) },
    },
    {
      title: 'an apiVersion without a version',
      files: { 'raw/no-version.yaml': sg('noversion').replace(WIRING, 'wiring.githedgehog.com') },
      expect: { 'raw/no-version.yaml': unmanaged(/not a Hedgehog|not supported/) },
    },
    {
      title: 'an unknown kind of a Hedgehog group',
      files: { 'raw/unknown-kind.yaml': sg('router-1').replace('kind: SwitchGroup', 'kind: Router') },
      expect: { 'raw/unknown-kind.yaml': unmanaged(/kind Router .* is not one of the 12 kinds/) },
    },
    {
      title: 'a managed kind in the wrong group',
      files: { 'raw/wrong-group.yaml': sg('wrong-group').replace(WIRING, VPC_API) },
      expect: { 'raw/wrong-group.yaml': unmanaged(/belongs to wiring\.githedgehog\.com/) },
    },
    {
      title: 'a Kubernetes ConfigMap (not Hedgehog)',
      files: { 'raw/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: b\n' },
      expect: { 'raw/configmap.yaml': unmanaged(/ConfigMap \(v1\) is not a Hedgehog fabric resource/) },
    },
    {
      title: 'a Gateway (gateway.githedgehog.com)',
      files: { 'raw/gateway.yaml': 'apiVersion: gateway.githedgehog.com/v1alpha1\nkind: Gateway\nmetadata:\n  name: gw-1\n  namespace: fab\nspec: {}\n' },
      expect: { 'raw/gateway.yaml': unmanaged(/Gateway/) },
    },
    {
      title: 'an Agent (agent.githedgehog.com)',
      files: { 'raw/agent.yaml': 'apiVersion: agent.githedgehog.com/v1beta1\nkind: Agent\nmetadata:\n  name: leaf-01\nspec: {}\n' },
      expect: { 'raw/agent.yaml': unmanaged(/Agent/) },
    },
    {
      title: 'kind missing',
      files: { 'raw/no-kind.yaml': `apiVersion: ${WIRING}\nmetadata:\n  name: x\n` },
      expect: { 'raw/no-kind.yaml': unmanaged(/kind is missing/) },
    },
    {
      title: 'an unknown top-level field',
      files: { 'raw/extra-field.yaml': `${sg('extra')}data:\n  a: b\n` },
      expect: { 'raw/extra-field.yaml': unmanaged(/unknown top-level field/) },
    },
    {
      title: 'a __proto__ key at the top level',
      files: { 'raw/proto.yaml': `${sg('proto')}__proto__:\n  polluted: "yes"\n` },
      expect: { 'raw/proto.yaml': unmanaged(/unknown top-level field/) },
    },
    {
      title: 'a __proto__ key inside spec (data, not a prototype)',
      files: { 'raw/proto-spec.yaml': sg('proto-spec').replace('spec: {}', 'spec:\n  __proto__:\n    polluted: "yes"') },
      expect: { 'raw/proto-spec.yaml': MANAGED },
    },
    // ---- metadata ------------------------------------------------------------------
    {
      title: 'metadata missing',
      files: { 'raw/no-metadata.yaml': `apiVersion: ${WIRING}\nkind: SwitchGroup\nspec: {}\n` },
      expect: { 'raw/no-metadata.yaml': unmanaged(/metadata is missing/) },
    },
    {
      title: 'metadata.name missing',
      files: { 'raw/no-name.yaml': `apiVersion: ${WIRING}\nkind: SwitchGroup\nmetadata:\n  labels: {a: b}\nspec: {}\n` },
      expect: { 'raw/no-name.yaml': unmanaged(/metadata\.name must be a non-empty string/) },
    },
    {
      title: 'metadata.name empty',
      files: { 'raw/empty-name.yaml': sg('""') },
      expect: { 'raw/empty-name.yaml': unmanaged(/metadata\.name must be a non-empty string/) },
    },
    {
      title: 'metadata.name not RFC 1123 (upper case, underscore)',
      files: { 'raw/bad-name.yaml': sg('Leaf_01') },
      expect: { 'raw/bad-name.yaml': unmanaged(/not a valid RFC 1123 name/) },
    },
    {
      title: 'metadata.name a number',
      files: { 'raw/number-name.yaml': sg('42') },
      expect: { 'raw/number-name.yaml': unmanaged(/metadata\.name must be a non-empty string/) },
    },
    {
      title: 'metadata.name with a path traversal',
      files: { 'raw/traversal-name.yaml': sg('"../../../etc/passwd"') },
      expect: { 'raw/traversal-name.yaml': unmanaged(/not a valid RFC 1123 name/) },
    },
    {
      title: 'a name over 253 characters',
      files: { 'raw/long-name.yaml': sg('a'.repeat(254)) },
      expect: { 'raw/long-name.yaml': unmanaged(/254 characters long; at most 253/) },
    },
    {
      title: 'a VPC name over the 11 characters of a VPC',
      files: { 'raw/long-vpc.yaml': `apiVersion: ${VPC_API}\nkind: VPC\nmetadata:\n  name: vpc-toolong1\nspec: {}\n` },
      expect: { 'raw/long-vpc.yaml': unmanaged(/12 characters long; at most 11/) },
    },
    {
      title: 'a namespace other than default',
      files: { 'raw/namespace.yaml': sg('in-fab').replace('  name: in-fab\n', '  name: in-fab\n  namespace: fab\n') },
      expect: { 'raw/namespace.yaml': unmanaged(/namespace "fab" is not allowed/) },
    },
    {
      title: 'a label that is not a string',
      files: { 'raw/label-number.yaml': sg('labelled').replace('team: netops', 'team: 7') },
      expect: { 'raw/label-number.yaml': unmanaged(/must be a string/) },
    },
    {
      title: 'status and server-set metadata (normalized away)',
      files: {
        'raw/with-status.yaml': sg('with-status').replace(
          '  labels:',
          '  uid: 0b1c\n  resourceVersion: "42"\n  creationTimestamp: "2024-01-01T00:00:00Z"\n  managedFields: []\n  labels:',
        ) + 'status:\n  applied: yes\n',
      },
      expect: { 'raw/with-status.yaml': MANAGED },
    },
    // ---- multi-document and conflicts -----------------------------------------------
    {
      title: 'a managed resource next to a Gateway in one file',
      files: { 'raw/mixed.yaml': `${sg('mixed-ok')}---\napiVersion: gateway.githedgehog.com/v1alpha1\nkind: Gateway\nmetadata:\n  name: gw\nspec: {}\n` },
      expect: { 'raw/mixed.yaml': { type: 'mixed', reason: /Gateway/, managed: ['SwitchGroup/mixed-ok'] } },
    },
    {
      title: 'a valid document next to a broken one',
      files: { 'raw/half-broken.yaml': `${sg('half-ok')}---\nkey: "unclosed\n` },
      expect: { 'raw/half-broken.yaml': { type: 'mixed', reason: YAML_ERROR, managed: ['SwitchGroup/half-ok'] } },
    },
    {
      title: 'the same resource in two raw files',
      files: { 'raw/twice-a.yaml': sg('twice', 'a'), 'raw/twice-b.yaml': sg('twice', 'b').replace('netops', 'other') },
      expect: {
        'raw/twice-a.yaml': { type: 'conflict', reason: /SwitchGroup twice is defined 2 times/ },
        'raw/twice-b.yaml': { type: 'conflict', reason: /SwitchGroup twice is defined 2 times/ },
      },
    },
    {
      title: 'the same resource twice in one raw file',
      files: { 'raw/twice-in-one.yaml': `${sg('dup-doc')}---\n${sg('dup-doc').replace('netops', 'other')}` },
      expect: { 'raw/twice-in-one.yaml': { type: 'conflict', reason: /defined 2 times/ } },
    },
    {
      title: 'a raw resource that differs from the managed file',
      files: {
        'managed/switchgroups/edited.yaml': sg('edited'),
        'raw/edited.yaml': sg('edited').replace('netops', 'someone-else'),
      },
      keep: ['managed/switchgroups/edited.yaml'],
      expect: { 'raw/edited.yaml': { type: 'conflict', reason: /differs from managed\/switchgroups\/edited\.yaml/ } },
    },
    {
      title: 'a raw resource identical to the managed file',
      files: { 'managed/switchgroups/same.yaml': sg('same'), 'raw/same.yaml': sg('same') },
      expect: { 'raw/same.yaml': MANAGED },
    },
    {
      title: 'a thousand resources in one file',
      files: { 'raw/bulk.yaml': manySwitchGroups(1000) },
      expect: { 'raw/bulk.yaml': MANAGED },
    },
    // ---- symlinks ------------------------------------------------------------------------
    {
      title: 'a symlink to an absolute path outside the repository',
      files: {},
      symlinks: { 'raw/outside-abs.yaml': outsideFile },
      expect: { 'raw/outside-abs.yaml': unmanaged(/symbolic link \(never followed\)/) },
    },
    {
      title: 'a symlink climbing out of the repository',
      files: {},
      symlinks: { 'raw/outside-rel.yaml': `../../../../../../../../..${outsideFile}` },
      expect: { 'raw/outside-rel.yaml': unmanaged(/symbolic link \(never followed\)/) },
    },
    {
      title: 'a symlink to a directory',
      files: { 'raw/real/inner.yaml': sg('behind-link') },
      symlinks: { 'raw/dir-link': 'real' },
      expect: { 'raw/real/inner.yaml': MANAGED, 'raw/dir-link': unmanaged(/symbolic link/) },
    },
    // ---- file and folder names -----------------------------------------------------------
    {
      title: 'a file name with spaces',
      files: { 'raw/my leaf switch group.yaml': sg('spaces'), 'raw/with space gw.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n' },
      expect: { 'raw/my leaf switch group.yaml': MANAGED, 'raw/with space gw.yaml': unmanaged(/Secret/) },
    },
    {
      title: 'unicode file names',
      files: { 'raw/коммутатор-ü-日本.yaml': sg('unicode'), 'raw/ünïcödé ✓.yml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: u\n' },
      expect: { 'raw/коммутатор-ü-日本.yaml': MANAGED, 'raw/ünïcödé ✓.yml': unmanaged(/ConfigMap/) },
    },
    {
      title: 'file names with leading dashes',
      files: { 'raw/-rf.yaml': sg('dash'), 'raw/--help.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: h\n', 'raw/-/x.yaml': '{' },
      expect: { 'raw/-rf.yaml': MANAGED, 'raw/--help.yaml': unmanaged(/ConfigMap/), 'raw/-/x.yaml': unmanaged(YAML_ERROR) },
    },
    {
      title: 'file names with ..',
      files: { 'raw/..yaml': 'x: [', 'raw/a..b.yaml': sg('dotdot'), 'raw/...yml': 'kind: 1\n' },
      expect: { 'raw/..yaml': unmanaged(YAML_ERROR), 'raw/a..b.yaml': MANAGED, 'raw/...yml': unmanaged(/apiVersion is missing/) },
    },
    {
      title: 'a raw file named like a reason file',
      files: { 'raw/x.reason.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: r\n' },
      expect: { 'raw/x.reason.yaml': unmanaged(/ConfigMap/) },
    },
    {
      title: 'a file name of 240 characters',
      files: { [`raw/${'n'.repeat(240)}.yaml`]: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n\n' },
      expect: { [`raw/${'n'.repeat(240)}.yaml`]: unmanaged(/ConfigMap/) },
    },
    {
      title: 'a directory named like a YAML file',
      files: { 'raw/folder.yaml/inner.yaml': sg('in-folder'), 'raw/folder.yaml/other.yml': 'apiVersion: v1\nkind: Pod\n' },
      expect: { 'raw/folder.yaml/inner.yaml': MANAGED, 'raw/folder.yaml/other.yml': unmanaged(/Pod/) },
    },
    {
      title: 'deeply nested folders (40 levels)',
      files: { [`raw/${deepDirs}/deep.yaml`]: sg('deep'), [`raw/${deepDirs}/deep-bad.yaml`]: 'apiVersion: v1\nkind: Pod\n' },
      expect: { [`raw/${deepDirs}/deep.yaml`]: MANAGED, [`raw/${deepDirs}/deep-bad.yaml`]: unmanaged(/Pod/) },
    },
    {
      title: 'files that are not YAML (.json, .txt, no extension)',
      files: {
        'raw/sg.json': JSON.stringify({ apiVersion: WIRING, kind: 'SwitchGroup', metadata: { name: 'json' } }),
        'raw/notes.txt': 'remember to add the spines\n',
        'raw/Makefile': 'all:\n\ttrue\n',
      },
      expect: {
        'raw/sg.json': unmanaged(/not a YAML file/),
        'raw/notes.txt': unmanaged(/not a YAML file/),
        'raw/Makefile': unmanaged(/not a YAML file/),
      },
    },
  ];
}
