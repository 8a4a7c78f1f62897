import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  TemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import scaffolderModuleHedgehog from './index';

describe('scaffolderModuleHedgehog', () => {
  it('registers the hedgehog actions with the scaffolder', async () => {
    const actions: TemplateAction<any, any, any>[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          {
            addActions: (...a: TemplateAction<any, any, any>[]) =>
              actions.push(...a),
          },
        ],
      ],
      features: [
        scaffolderModuleHedgehog,
        mockServices.rootConfig.factory({
          data: {
            hedgehog: {
              clusters: [{ name: 'lab', url: 'https://127.0.0.1:6443' }],
            },
          },
        }),
      ],
    });
    expect(actions.map(a => a.id)).toEqual([
      'hedgehog:fabric:bootstrap',
      'hedgehog:fabric:push',
      'hedgehog:fabric:checkout',
      'hedgehog:resource:add',
    ]);
    for (const action of actions) {
      expect(action.supportsDryRun).toBe(true);
      expect(action.examples?.length).toBeGreaterThan(0);
      expect(action.schema?.input).toMatchObject({ type: 'object' });
    }
  });
});
