import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { layoutFiles } from '@fabric-gitops/plugin-hedgehog-common';
import { promises as fs } from 'fs';
import path from 'path';
import yaml from 'yaml';
import { FabricEntityReader, fabricInfoOf } from '../lib/fabricEntity';
import { createAddResourceAction } from './addResource';
import { examples } from './addResource.examples';

describe('hedgehog:resource:add examples', () => {
  const mockDir = createMockDirectory();
  const workspacePath = mockDir.resolve('workspace');
  const fabrics: FabricEntityReader = {
    read: async ref =>
      fabricInfoOf(
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Resource',
          metadata: {
            name: 'lab',
            annotations: {
              'githedgehog.com/gitops-location':
                'url:https://github.com/network/fabrics/tree/main/fabrics/lab',
            },
          },
          spec: { type: 'hedgehog-fabric', owner: 'network' },
        },
        ref,
      ),
  };
  const action = createAddResourceAction({ fabrics });

  const fabricDir = () =>
    Object.fromEntries(layoutFiles('lab').map(f => [f.path, f.content]));

  beforeEach(() =>
    mockDir.setContent({ workspace: { ...fabricDir(), fabric: fabricDir() } }),
  );

  it('has examples', () => {
    expect(action.examples).toBe(examples);
    expect(examples.length).toBeGreaterThanOrEqual(2);
  });

  it.each(examples.map(e => [e.description, e] as const))(
    'runs the example: %s',
    async (_, example) => {
      const step = yaml.parse(example.example).steps[0];
      expect(step.action).toBe(action.id);
      const ctx = createMockActionContext({ input: step.input, workspacePath });
      await action.handler(ctx as any);

      const out = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
      const written = yaml.parse(
        await fs.readFile(path.join(workspacePath, out.filePath), 'utf8'),
      );
      const expected =
        typeof step.input.resource === 'string'
          ? yaml.parse(step.input.resource)
          : step.input.resource;
      expect(written).toEqual(expected);
      expect(
        out.filePath.startsWith(
          `${step.input.path ? `${step.input.path}/` : ''}raw/`,
        ),
      ).toBe(true);
      expect(out).toMatchObject({
        kind: expected.kind,
        name: expected.metadata.name,
        fabric: 'lab',
      });
      // The publishing outputs exist exactly when the example names a fabric.
      expect({
        repoUrl: out.repoUrl,
        branch: out.branch,
        targetPath: out.targetPath,
      }).toEqual(
        step.input.fabric
          ? {
              repoUrl: 'github.com?owner=network&repo=fabrics',
              branch: 'main',
              targetPath: 'fabrics/lab',
            }
          : { repoUrl: undefined, branch: undefined, targetPath: undefined },
      );
    },
  );
});
