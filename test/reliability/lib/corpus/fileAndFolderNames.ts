/* Bad-input corpus: file and folder names. */
import { BadInputCase, MANAGED, sg, unmanaged, WIRING, YAML_ERROR } from './badInputCase';

const deepDirs = Array.from({ length: 40 }, (_, i) => `d${i}`).join('/');

export function fileAndFolderNameCases(): BadInputCase[] {
  return [
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
