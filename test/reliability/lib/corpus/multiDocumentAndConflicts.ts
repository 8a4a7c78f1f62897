/* Bad-input corpus: multi-document files and conflicts. */
import { BadInputCase, MANAGED, sg, VPC_API, YAML_ERROR } from './badInputCase';

function manySwitchGroups(n: number) {
  return Array.from({ length: n }, (_, i) => sg(`bulk-${String(i).padStart(4, '0')}`)).join('---\n');
}

/** 280 SwitchGroups and, among them, a VPC whose name is over the 11 characters a VPC name may have. */
function oneLongVpcName() {
  const groups = Array.from({ length: 280 }, (_, i) => sg(`g-${String(i).padStart(3, '0')}`, `group ${i}`));
  const vpc = `# this one is refused\napiVersion: ${VPC_API}\nkind: VPC\nmetadata:\n  name: vpc-name-too-long\nspec:\n  subnets:\n    default:\n      subnet: 10.0.1.0/24\n      vlan: 1001\n`;
  return {
    text: [...groups.slice(0, 140), vpc, ...groups.slice(140)].join('---\n'),
    managed: groups.map((_, i) => `SwitchGroup/g-${String(i).padStart(3, '0')}`),
  };
}

const COMMENTED = `# Lab switch groups, kept by netops (a comment of the whole file)
---
# the first group
apiVersion: wiring.githedgehog.com/v1beta1
kind: SwitchGroup
metadata:
  name: commented-1 # as on the rack label
  labels:
    # who to call
    team: netops
spec: {}
---
# ---- a section of its own, no document ----
---
# the second group
apiVersion: wiring.githedgehog.com/v1beta1
kind: SwitchGroup
metadata:
  name: commented-2
spec: {} # nothing to set
# end of the file
`;

export function multiDocumentAndConflictCases(): BadInputCase[] {
  return [
    {
      title: 'a managed resource next to a VPCInfo (made by the controller) in one file',
      files: { 'raw/mixed.yaml': `${sg('mixed-ok')}---\napiVersion: gateway.githedgehog.com/v1alpha1\nkind: VPCInfo\nmetadata:\n  name: gw\nspec: {}\n` },
      expect: { 'raw/mixed.yaml': { type: 'mixed', reason: /VPCInfo/, managed: ['SwitchGroup/mixed-ok'] } },
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
      title: 'one VPC name over 11 characters among 280 good documents',
      files: { 'raw/long-vpc-name.yaml': oneLongVpcName().text },
      expect: {
        'raw/long-vpc-name.yaml': { type: 'mixed', reason: /name "vpc-name-too-long" is 17 characters long; at most 11/, managed: oneLongVpcName().managed },
      },
    },
    {
      title: 'one document in conflict among good ones and a VPCInfo',
      files: {
        'managed/switchgroups/taken.yaml': sg('taken'),
        'raw/partly-taken.yaml': [
          sg('p-1'),
          sg('taken', 'mine').replace('netops', 'someone-else'),
          'apiVersion: gateway.githedgehog.com/v1alpha1\nkind: VPCInfo\nmetadata:\n  name: gw\nspec: {}\n',
          sg('p-2'),
        ].join('---\n'),
      },
      keep: ['managed/switchgroups/taken.yaml'],
      expect: {
        'raw/partly-taken.yaml': {
          type: 'held',
          reason: /SwitchGroup taken in raw\/partly-taken\.yaml document 2 differs from managed\/switchgroups\/taken\.yaml/,
          managed: ['SwitchGroup/p-1', 'SwitchGroup/p-2'],
          unmanaged: /VPCInfo/,
        },
      },
    },
    {
      title: 'comments in raw documents',
      files: { 'raw/commented.yaml': COMMENTED },
      expect: { 'raw/commented.yaml': MANAGED },
    },
    {
      title: 'a thousand resources in one file',
      files: { 'raw/bulk.yaml': manySwitchGroups(1000) },
      expect: { 'raw/bulk.yaml': MANAGED },
    },
  ];
}
