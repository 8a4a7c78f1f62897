/* Bad-input corpus: versions, kinds, groups. */
import { BadInputCase, MANAGED, sg, unmanaged, VPC_API, WIRING } from './badInputCase';

export function versionKindGroupCases(): BadInputCase[] {
  return [
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
      expect: { 'raw/unknown-kind.yaml': unmanaged(/kind Router .* is not one of the 15 kinds/) },
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
      title: 'a Gateway in namespace fab (Hedgehog accepts only default)',
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
  ];
}
