/*
 * Two more fabrics of the browser end-to-end tests (test/github/e2eFixture.ts serves them):
 *
 * - `large`: a generated, valid fabric of 5,026 resources (4 spines, 48 leaves in ESLAG pairs,
 *   984 servers, 1,200 VPCs) in a local repository, no cluster: its topology at scale
 *   (test/e2e/topology.e2e.ts).
 * - `drifted`: two VPCs (and their IPv4Namespace and VLANNamespace) in a local repository, write mode push, with the test cluster, where
 *   one of them is already, with another VLAN and everything the API server adds (managedFields,
 *   uid, ...): its Apply plan, its resource history and its readable YAML diff
 *   (test/e2e/review.e2e.ts).
 */
import path from 'node:path';
import { stringify } from 'yaml';
import { generateFabric } from '../../plugins/hedgehog-backend/src/validation/bench/generateFabric';
import { kubeRequest, TestCluster } from '../cluster';
import { createBareRepo, pushFiles } from '../servers';

export const LARGE_FABRIC = 'large';
export const DRIFTED_FABRIC = 'drifted';
/** The VPC of fabric `drifted` that the cluster holds with another VLAN. */
export const DRIFTED_VPC = 'vpc-drifted';
/** The VPC of fabric `drifted` that only Git holds: the plan creates it. */
export const PLANNED_VPC = 'vpc-planned';

const VPCS = '/apis/vpc.githedgehog.com/v1beta1/namespaces/default/vpcs';
const APPLIED_BY_LABEL = 'hedgehog.backstage.io/fabric';

const documents = (objects: object[]) =>
  objects.map(o => stringify(o)).join('---\n');

/** A local repository holding fabric `large` in raw files of 1,000 documents; its file:// URL. */
export async function largeFabricRepository(root: string): Promise<string> {
  const objects = generateFabric({
    spines: 4,
    leaves: 48,
    serversPerLeaf: 20,
    vpcs: 1200,
  });
  const files: Record<string, string> = {};
  for (let i = 0; i < objects.length; i += 1000) {
    files[`fabrics/${LARGE_FABRIC}/raw/part-${i / 1000}.yaml`] = documents(
      objects.slice(i, i + 1000),
    );
  }
  const url = `file://${await createBareRepo(
    path.join(root, `${LARGE_FABRIC}.git`),
  )}`;
  await pushFiles(url, files, {
    message: `netops: fabric ${LARGE_FABRIC}, ${objects.length} resources`,
  });
  return url;
}

/**
 * The IPv4Namespace of fabric `drifted`'s VPCs, in its Git too: validation resolves it there,
 * whatever IPv4Namespace `default` other tests leave in the shared cluster.
 */
const IPV4_NAMESPACE = {
  apiVersion: 'vpc.githedgehog.com/v1beta1',
  kind: 'IPv4Namespace',
  metadata: { name: DRIFTED_FABRIC, namespace: 'default' },
  spec: { subnets: ['10.98.0.0/16'] },
};
const IPV4_NAMESPACES =
  '/apis/vpc.githedgehog.com/v1beta1/namespaces/default/ipv4namespaces';

/** Its VLANNamespace too, for the same reason (other tests may remove `default` from the shared cluster). */
const VLAN_NAMESPACE = {
  apiVersion: 'wiring.githedgehog.com/v1beta1',
  kind: 'VLANNamespace',
  metadata: { name: DRIFTED_FABRIC, namespace: 'default' },
  spec: { ranges: [{ from: 1900, to: 1999 }] },
};
const VLAN_NAMESPACES =
  '/apis/wiring.githedgehog.com/v1beta1/namespaces/default/vlannamespaces';

const vpc = (name: string, subnet: string, vlan: number) => ({
  apiVersion: 'vpc.githedgehog.com/v1beta1',
  kind: 'VPC',
  metadata: { name, namespace: 'default' },
  spec: {
    ipv4Namespace: DRIFTED_FABRIC,
    vlanNamespace: DRIFTED_FABRIC,
    subnets: { default: { subnet, vlan } },
  },
});

/**
 * Fabric `drifted`: its repository (two VPCs and their IPv4Namespace in raw/) and, in the test
 * cluster, its drifted VPC as an earlier apply of this fabric left it (the fabric's label) with
 * another VLAN and a kubectl annotation. Returns the repository's URL and a function that removes
 * what the fabric has in the cluster.
 */
export async function driftedFabric(
  root: string,
  cluster: TestCluster,
): Promise<{ url: string; cleanUp(): Promise<void> }> {
  const url = `file://${await createBareRepo(
    path.join(root, `${DRIFTED_FABRIC}.git`),
  )}`;
  await pushFiles(
    url,
    {
      [`fabrics/${DRIFTED_FABRIC}/raw/vpcs.yaml`]: documents([
        IPV4_NAMESPACE,
        VLAN_NAMESPACE,
        vpc(DRIFTED_VPC, '10.98.1.0/24', 1981),
        vpc(PLANNED_VPC, '10.98.2.0/24', 1982),
      ]),
    },
    {
      message: `netops: fabric ${DRIFTED_FABRIC}, two VPCs and their IPv4Namespace and VLANNamespace`,
    },
  );
  const cleanUp = async () => {
    await kubeRequest(cluster, 'DELETE', `${VPCS}/${DRIFTED_VPC}`);
    await kubeRequest(cluster, 'DELETE', `${VPCS}/${PLANNED_VPC}`);
    await kubeRequest(
      cluster,
      'DELETE',
      `${IPV4_NAMESPACES}/${DRIFTED_FABRIC}`,
    );
    await kubeRequest(
      cluster,
      'DELETE',
      `${VLAN_NAMESPACES}/${DRIFTED_FABRIC}`,
    );
  };
  await cleanUp();
  const live = vpc(DRIFTED_VPC, '10.98.1.0/24', 1991);
  const created = await kubeRequest(cluster, 'POST', VPCS, {
    body: {
      ...live,
      metadata: {
        ...live.metadata,
        labels: { [APPLIED_BY_LABEL]: DRIFTED_FABRIC },
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration':
            JSON.stringify(live),
        },
      },
    },
  });
  if (created.status !== 201)
    throw new Error(
      `creating VPC ${DRIFTED_VPC} in the test cluster: ${
        created.status
      } ${JSON.stringify(created.body)}`,
    );
  return { url, cleanUp };
}
