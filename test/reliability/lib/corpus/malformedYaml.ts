/* Bad-input corpus: malformed YAML. */
import { BadInputCase, MANAGED, unmanaged, WIRING, YAML_ERROR } from './badInputCase';

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

export function malformedYamlCases(): BadInputCase[] {
  return [
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
      expect: { 'raw/binary-tag.yaml': unmanaged(/metadata\.name must be a string, not binary data \(a !!binary value\)/) },
    },
    {
      title: 'more documents than the per-file limit (60000)',
      files: { 'raw/many-docs.yaml': '---\na: 1\n'.repeat(60_000) },
      expect: { 'raw/many-docs.yaml': unmanaged(/documents; at most/) },
    },
  ];
}
