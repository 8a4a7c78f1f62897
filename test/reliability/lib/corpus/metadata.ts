/* Bad-input corpus: metadata. */
import { BadInputCase, MANAGED, sg, unmanaged, VPC_API, WIRING } from './badInputCase';

export function metadataCases(): BadInputCase[] {
  return [
    {
      title: 'metadata missing',
      files: { 'raw/no-metadata.yaml': `apiVersion: ${WIRING}\nkind: SwitchGroup\nspec: {}\n` },
      expect: { 'raw/no-metadata.yaml': unmanaged(/metadata is missing/) },
    },
    {
      title: 'metadata.name missing',
      files: { 'raw/no-name.yaml': `apiVersion: ${WIRING}\nkind: SwitchGroup\nmetadata:\n  labels: {a: b}\nspec: {}\n` },
      expect: { 'raw/no-name.yaml': unmanaged(/metadata\.name is required/) },
    },
    {
      title: 'metadata.name empty',
      files: { 'raw/empty-name.yaml': sg('""') },
      expect: { 'raw/empty-name.yaml': unmanaged(/metadata\.name is empty/) },
    },
    {
      title: 'metadata.name not RFC 1123 (upper case, underscore)',
      files: { 'raw/bad-name.yaml': sg('Leaf_01') },
      expect: { 'raw/bad-name.yaml': unmanaged(/not a valid RFC 1123 name/) },
    },
    {
      title: 'metadata.name a number',
      files: { 'raw/number-name.yaml': sg('42') },
      expect: { 'raw/number-name.yaml': unmanaged(/metadata\.name is the number \d+, not a string; quote it/) },
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
        'raw/with-status.yaml': `${sg('with-status').replace(
          '  labels:',
          '  uid: 0b1c\n  resourceVersion: "42"\n  creationTimestamp: "2024-01-01T00:00:00Z"\n  managedFields: []\n  labels:',
        )}status:\n  applied: yes\n`,
      },
      expect: { 'raw/with-status.yaml': MANAGED },
    },
  ];
}
