import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { parseGitopsLocation } from '@fabric-gitops/plugin-hedgehog-common';
import { promises as fs } from 'fs';
import path from 'path';
import yaml from 'yaml';
import { createBootstrapFabricAction } from './bootstrapFabric';
import { examples } from './bootstrapFabric.examples';

describe('hedgehog:fabric:bootstrap examples', () => {
  const mockDir = createMockDirectory();
  const workspacePath = mockDir.resolve('workspace');
  const action = createBootstrapFabricAction({
    config: new ConfigReader({
      hedgehog: {
        catalogFabrics: {
          repositories: ['https://github.com/**', 'https://git.example.com/**'],
        },
        clusters: [
          {
            name: 'lab',
            url: 'https://127.0.0.1:6443',
            allowCatalogFabrics: true,
          },
        ],
      },
    }),
  });

  beforeEach(() => mockDir.setContent({ workspace: {} }));

  it('has examples', () => {
    expect(action.examples).toBe(examples);
    expect(examples.length).toBeGreaterThanOrEqual(3);
  });

  it.each(examples.map(e => [e.description, e] as const))(
    'runs the example: %s',
    async (_, example) => {
      const step = yaml.parse(example.example).steps[0];
      expect(step.action).toBe(action.id);
      const ctx = createMockActionContext({ input: step.input, workspacePath });
      await action.handler(ctx as any);

      const out = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
      const dir = path.join(workspacePath, out.fabricPath);
      const manifest = yaml.parse(
        await fs.readFile(path.join(dir, '.gitops/manifest.yaml'), 'utf8'),
      );
      expect(manifest.fabric).toBe(step.input.name);
      const entity = yaml.parse(
        await fs.readFile(
          path.join(workspacePath, out.catalogInfoPath),
          'utf8',
        ),
      );
      expect(entity).toMatchObject({
        kind: 'Resource',
        metadata: { name: step.input.name },
        spec: { type: 'hedgehog-fabric' },
      });
      expect(
        parseGitopsLocation(
          entity.metadata.annotations['githedgehog.com/gitops-location'],
        ).path,
      ).toBe(out.fabricPath === '.' ? '' : out.fabricPath);
      expect(entity.metadata.annotations['githedgehog.com/cluster']).toBe(
        step.input.cluster,
      );
      // The seed file exists, with the example's resources, exactly when it has some.
      expect(out.resourceCount > 0).toBe(Boolean(step.input.resources));
      expect(
        await fs
          .readFile(path.join(dir, 'raw/seed.yaml'), 'utf8')
          .catch(() => undefined),
      ).toBe(step.input.resources);
    },
  );
});
