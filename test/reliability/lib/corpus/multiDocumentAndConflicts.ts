/* Bad-input corpus: multi-document files and conflicts. */
import { BadInputCase, MANAGED, sg, YAML_ERROR } from './badInputCase';

function manySwitchGroups(n: number) {
  return Array.from({ length: n }, (_, i) => sg(`bulk-${String(i).padStart(4, '0')}`)).join('---\n');
}

export function multiDocumentAndConflictCases(): BadInputCase[] {
  return [
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
  ];
}
