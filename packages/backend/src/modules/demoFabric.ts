/*
 * Development/demo only: turns examples/demo-fabric into a local Git repository
 * (outside the source tree, recreated when missing) and adds it to the hedgehog
 * plugin as fabric `demo`, so a first start shows a real sync with no setup.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { hedgehogFabricsExtensionPoint } from '@fabric-gitops/plugin-hedgehog-node';
import { execFile } from 'child_process';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { promisify } from 'util';

const exec = promisify(execFile);
const FABRIC_PATH = 'fabrics/demo';

export default createBackendModule({
  pluginId: 'hedgehog',
  moduleId: 'demo-fabric',
  register(env) {
    env.registerInit({
      deps: {
        fabrics: hedgehogFabricsExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ fabrics, config, logger }) {
        const examplesDir = config.getOptionalString('hedgehogDemo.examplesDir');
        if (!examplesDir) return;
        const source = path.resolve(examplesDir);
        // `./scripts/start.sh --cluster` gives the demo fabric the local test cluster
        const cluster = config.getOptionalString('hedgehogDemo.cluster');
        const repo = path.resolve(
          config.getOptionalString('hedgehogDemo.repository') ??
            path.join(os.homedir(), '.cache', 'fabric-gitops', 'demo-fabric.git'),
        );
        fabrics.addFabricSource({
          id: 'demo',
          async getFabrics() {
            if (await ensureDemoRepository(source, repo)) {
              logger.info(`hedgehog demo: created the demo fabric repository ${repo}`);
            }
            return [
              {
                name: 'demo',
                title: 'Demo fabric',
                description: 'A small spine-leaf fabric from examples/demo-fabric',
                owner: 'group:default/guests',
                // the guest (a member of guests) is told of failures, drift and recoveries
                notifications: 'all',
                git: { url: `file://${repo}`, branch: 'main', path: FABRIC_PATH, writeMode: 'push' },
                ...(cluster ? { cluster } : {}),
                apply: 'manual',
                prune: false,
                schedule: { frequency: { minutes: 5 }, timeout: { minutes: 5 }, initialDelay: { seconds: 3 } },
                source: 'the demo module of packages/backend',
              },
            ];
          },
        });
      },
    });
  },
});

/** Creates the bare repository with the example raw files when it is missing. */
async function ensureDemoRepository(source: string, repo: string): Promise<boolean> {
  try {
    await fs.access(path.join(repo, 'HEAD'));
    return false;
  } catch {
    // missing: create it below
  }
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-demo-'));
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'Demo',
    GIT_AUTHOR_EMAIL: 'demo@example.invalid',
    GIT_COMMITTER_NAME: 'Demo',
    GIT_COMMITTER_EMAIL: 'demo@example.invalid',
    GIT_CONFIG_NOSYSTEM: '1',
  };
  try {
    await fs.mkdir(path.dirname(repo), { recursive: true });
    const tmpRepo = `${repo}.tmp-${process.pid}`;
    await fs.rm(tmpRepo, { recursive: true, force: true });
    await exec('git', ['init', '--bare', '--quiet', '--initial-branch=main', tmpRepo], { env });
    await exec('git', ['init', '--quiet', '--initial-branch=main', work], { env });
    await fs.cp(path.join(source, 'raw'), path.join(work, FABRIC_PATH, 'raw'), { recursive: true });
    await exec('git', ['add', '-A'], { cwd: work, env });
    await exec('git', ['commit', '--quiet', '-m', 'Demo fabric: raw wiring and VPCs'], { cwd: work, env });
    await exec('git', ['push', '--quiet', tmpRepo, 'HEAD:refs/heads/main'], { cwd: work, env });
    await fs.rename(tmpRepo, repo);
    return true;
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}
