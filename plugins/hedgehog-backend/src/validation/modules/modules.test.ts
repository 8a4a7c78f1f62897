import { HEDGEHOG_KINDS } from '@fabric-gitops/plugin-hedgehog-common';
import { BACKEND_KINDS } from '.';

describe('the backend kind modules', () => {
  it('has one module per managed kind, under the same kind, and none for another kind', () => {
    expect(Object.keys(BACKEND_KINDS).sort()).toEqual(HEDGEHOG_KINDS.map(k => k.kind).sort());
    for (const [key, module] of Object.entries(BACKEND_KINDS)) expect(module.kind).toBe(key);
  });

  it('the references of each kind name managed kinds', () => {
    const kinds = new Set(HEDGEHOG_KINDS.map(k => k.kind));
    for (const k of HEDGEHOG_KINDS) for (const r of k.references) expect([k.kind, kinds.has(r)]).toEqual([k.kind, true]);
  });
});
