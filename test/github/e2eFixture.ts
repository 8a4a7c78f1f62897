/*
 * The GitHub side of the browser end-to-end tests, started by scripts/e2e.sh
 * before the app: a loopback Git server with the GitHub REST API beside it
 * (test/github), a repository holding fabric `lab` in raw form, and on the test
 * cluster a VPC that only the cluster holds. Writes the app-config the app needs
 * (integrations.github, hedgehog.clusters, hedgehog.fabrics) as JSON to the
 * given file, then serves until SIGTERM, when it removes what it made.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs test/github/e2eFixture.ts <out.json>
 *
 * The JSON's `e2e` part names the fabric and the cluster-only VPC for the tests
 * (test/e2e/pullRequests.e2e.ts, through E2E_LAB_FABRIC and E2E_LIVE_VPC), and the
 * fabrics of test/github/e2eFabrics.ts (`large`, `drifted`) for topology.e2e.ts and review.e2e.ts.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { breakFabric } from '../../plugins/hedgehog-backend/src/validation/bench/breakFabric';
import { generateFabric } from '../../plugins/hedgehog-backend/src/validation/bench/generateFabric';
import { kubeRequest, lockTestCluster, startTestCluster } from '../cluster';
import { createBareRepo, pushFiles, startGitHttpServer } from '../servers';
import { DRIFTED_FABRIC, DRIFTED_VPC, driftedFabric, LARGE_FABRIC, largeFabricRepository, PLANNED_VPC } from './e2eFabrics';
import { startGitHubApiServer } from './githubApiServer';

/** A fabric on the loopback GitHub, write mode `pull-request`, with the test cluster. */
const LAB_FABRIC = 'lab';
/** A VPC only the cluster holds: drift shows it as cluster-only, the UI offers to adopt it. */
const LIVE_VPC = 'vpc-live';
/** A fabric with thousands of findings (test/e2e/findings.e2e.ts): a local repository, no cluster. */
const SCALE_FABRIC = 'scale';

const EXAMPLES = path.resolve(__dirname, '../../examples/demo-fabric/raw');
const VPCS = '/apis/vpc.githedgehog.com/v1beta1/namespaces/default/vpcs';

async function main() {
  const out = process.argv[2];
  if (!out) throw new Error('usage: githubFixture.ts <out.json>');
  const token = `e2e-${randomUUID()}`;
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-e2e-github-'));
  const git = await startGitHttpServer({ projectRoot: root, username: 'x-access-token', password: token });
  const github = await startGitHubApiServer({ repoRoot: root, webBaseUrl: `http://127.0.0.1:${git.port}`, tokens: [token] });
  const askpass = path.join(root, 'askpass.sh');
  await fs.writeFile(askpass, '#!/bin/sh\ncase "$1" in Username*) echo x-access-token;; *) echo "$E2E_TOKEN";; esac\n', {
    mode: 0o700,
  });
  const url = git.url(`netops/${LAB_FABRIC}.git`);
  await createBareRepo(path.join(root, 'netops', `${LAB_FABRIC}.git`));
  await pushFiles(
    url,
    {
      [`fabrics/${LAB_FABRIC}/raw/wiring.yaml`]: await fs.readFile(path.join(EXAMPLES, 'wiring.yaml'), 'utf8'),
      [`fabrics/${LAB_FABRIC}/raw/vpcs.yaml`]: await fs.readFile(path.join(EXAMPLES, 'vpcs.yaml'), 'utf8'),
    },
    { env: { GIT_ASKPASS: askpass, E2E_TOKEN: token }, message: 'netops: fabric lab, raw' },
  );

  const scaleUrl = await scaleFabricRepository(root);
  const largeUrl = await largeFabricRepository(root);

  const cluster = await startTestCluster();
  // the VPC changes what other tests of the shared cluster count: hold it meanwhile
  const release = await lockTestCluster();
  await kubeRequest(cluster, 'DELETE', `${VPCS}/${LIVE_VPC}`);
  const created = await kubeRequest(cluster, 'POST', VPCS, {
    body: {
      apiVersion: 'vpc.githedgehog.com/v1beta1',
      kind: 'VPC',
      metadata: { name: LIVE_VPC, namespace: 'default' },
      spec: { subnets: { default: { subnet: '10.99.1.0/24', vlan: 1999 } } },
    },
  });
  if (created.status !== 201) throw new Error(`creating VPC ${LIVE_VPC} in the test cluster: ${created.status} ${JSON.stringify(created.body)}`);
  const drifted = await driftedFabric(root, cluster);

  const config = {
    e2e: {
      fabric: LAB_FABRIC,
      liveVpc: LIVE_VPC,
      scaleFabric: SCALE_FABRIC,
      largeFabric: LARGE_FABRIC,
      driftedFabric: DRIFTED_FABRIC,
      driftedVpc: DRIFTED_VPC,
      plannedVpc: PLANNED_VPC,
    },
    integrations: { github: [{ host: `127.0.0.1:${git.port}`, apiBaseUrl: `${github.url}/api/v3`, token }] },
    hedgehog: {
      clusters: [{ name: 'e2e', url: cluster.url, serviceAccountToken: cluster.adminToken, caData: cluster.caData }],
      fabrics: [
        {
          name: LAB_FABRIC,
          title: 'Lab (pull requests)',
          // the demo's permission policy leaves sync, apply and adopt to the fabric's owners
          owner: 'group:default/guests',
          git: { url, branch: 'main', path: `fabrics/${LAB_FABRIC}`, writeMode: 'pull-request' },
          cluster: 'e2e',
        },
        {
          name: SCALE_FABRIC,
          title: 'Scale (thousands of findings)',
          owner: 'group:default/guests',
          git: { url: scaleUrl, branch: 'main', path: `fabrics/${SCALE_FABRIC}`, writeMode: 'push' },
        },
        {
          name: LARGE_FABRIC,
          title: 'Large (5,000 resources)',
          owner: 'group:default/guests',
          git: { url: largeUrl, branch: 'main', path: `fabrics/${LARGE_FABRIC}`, writeMode: 'push' },
        },
        {
          name: DRIFTED_FABRIC,
          title: 'Drifted (plan, history, YAML diff)',
          owner: 'group:default/guests',
          git: { url: drifted.url, branch: 'main', path: `fabrics/${DRIFTED_FABRIC}`, writeMode: 'push' },
          cluster: 'e2e',
          kinds: ['IPv4Namespace', 'VLANNamespace', 'VPC'],
        },
      ],
    },
  };
  await fs.writeFile(`${out}.tmp`, JSON.stringify(config));
  await fs.rename(`${out}.tmp`, out);
  process.stdout.write(`github fixture: ${url} (API ${github.url}), VPC ${LIVE_VPC} in ${cluster.url}\n`);

  const stop = async () => {
    await kubeRequest(cluster, 'DELETE', `${VPCS}/${LIVE_VPC}`).catch(() => undefined);
    await drifted.cleanUp().catch(() => undefined);
    await release().catch(() => undefined);
    await github.stop();
    await git.stop();
    await fs.rm(root, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/**
 * A local repository holding a generated fabric with 1,907 VPCs without a VLAN
 * (errors) and wiring hhfab has not hydrated (42 switches and 80 fabric
 * connections: warnings), in raw files of 500 documents; its file:// URL.
 */
async function scaleFabricRepository(root: string): Promise<string> {
  const objects = breakFabric(generateFabric({ spines: 2, leaves: 40, serversPerLeaf: 4, vpcs: 2000 }), {
    vpcsWithoutVlan: 1907,
    unhydrated: true,
  });
  const files: Record<string, string> = {};
  for (let i = 0; i < objects.length; i += 500) {
    files[`fabrics/${SCALE_FABRIC}/raw/part-${i / 500}.yaml`] = objects
      .slice(i, i + 500)
      .map(o => stringify(o))
      .join('---\n');
  }
  const url = `file://${await createBareRepo(path.join(root, `${SCALE_FABRIC}.git`))}`;
  await pushFiles(url, files, { message: `netops: fabric ${SCALE_FABRIC}, raw` });
  return url;
}

main().catch(e => {
  process.stderr.write(`github fixture failed: ${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});
