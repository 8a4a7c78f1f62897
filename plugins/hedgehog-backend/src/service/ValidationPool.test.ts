import { InputError, NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import { DEFAULT_VALIDATION_POOL, ValidationBusyError, ValidationContextSource, ValidationPool } from './ValidationPool';

jest.setTimeout(120_000);

const vpc = (i: number, subnet: string) =>
  `apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata:\n  name: vpc-${i}\nspec:\n  subnets:\n    default:\n      subnet: ${subnet}\n      vlan: ${1000 + (i % 2000)}\n`;
/** `count` VPCs with the same subnet, as one request body. */
const body = (count: number, fabric?: string) =>
  Buffer.from(JSON.stringify({ fabric, files: [{ path: 'raw/vpcs.yaml', content: Array.from({ length: count }, (_, i) => vpc(i, '10.0.1.0/24')).join('---\n') }] }));

const noFabric: ValidationContextSource = {
  desired: async name => {
    throw new NotFoundError(`No fabric named "${name}"`);
  },
  inputs: async () => ({}),
};

describe('ValidationPool', () => {
  const pools: ValidationPool[] = [];
  const open = (options: Partial<typeof DEFAULT_VALIDATION_POOL> = {}) => {
    const pool = new ValidationPool({ ...DEFAULT_VALIDATION_POOL, ...options });
    pools.push(pool);
    return pool;
  };
  afterEach(async () => {
    await Promise.all(pools.splice(0).map(p => p.close()));
  });

  it('validates in a worker thread, with one overlap finding per subnet', async () => {
    const pool = open();
    const answer = JSON.parse((await pool.validate(body(300), noFabric)).toString());
    expect(pool.threads).toBe(1);
    expect(answer.valid).toBe(false);
    const ofFirst = answer.findings.filter((f: any) => f.document === 0 && f.rule === 'fabric.vpc-subnet-overlap');
    expect(ofFirst).toHaveLength(1);
    expect(ofFirst[0].message).toMatch(/ and 296 more, in the same IPv4Namespace default$/);
    // one per VPC (before: 300 × 299)
    expect(answer.findings).toHaveLength(300);
  });

  it('answers bad bodies and unknown fabrics with the errors of the route', async () => {
    const pool = open();
    await expect(pool.validate(Buffer.from('{"files": ['), noFabric)).rejects.toThrow(InputError);
    await expect(pool.validate(Buffer.from('{"files": []}'), noFabric)).rejects.toThrow(/Invalid request body: files: /);
    await expect(pool.validate(body(1, 'NOT A NAME'), noFabric)).rejects.toThrow('"NOT A NAME" is not a valid fabric name');
    await expect(pool.validate(body(1, 'nope'), noFabric)).rejects.toThrow(new NotFoundError('No fabric named "nope"'));
  });

  it("asks this thread for a fabric's desired state and what the files need from its cluster", async () => {
    const asked: unknown[] = [];
    const source: ValidationContextSource = {
      desired: async name => {
        asked.push(name);
        return JSON.stringify([JSON.parse(JSON.stringify({ apiVersion: 'vpc.githedgehog.com/v1beta1', kind: 'VPC', metadata: { name: 'old' }, spec: { subnets: { default: { subnet: '10.0.1.0/24', vlan: 1000 } } } }))]);
      },
      inputs: async (_name, needs) => {
        asked.push(needs);
        return {};
      },
    };
    const answer = JSON.parse((await open().validate(body(1, 'lab'), source)).toString());
    expect(asked).toEqual(['lab', { kinds: ['IPv4Namespace', 'VLANNamespace'], switchProfiles: false }]);
    expect(answer.findings.map((f: any) => f.rule)).toEqual(['fabric.vpc-subnet-overlap', 'fabric.vpc-vlan-reused']);
  });

  it('runs at most workers + queue requests and refuses the next one at once', async () => {
    const pool = open({ workers: 1, queue: 1 });
    const running = [pool.validate(body(2000), noFabric), pool.validate(body(2000), noFabric)];
    await expect(pool.validate(body(1), noFabric)).rejects.toThrow(ValidationBusyError);
    await Promise.all(running);
    // a place is free again
    expect(JSON.parse((await pool.validate(body(1), noFabric)).toString()).valid).toBe(true);
  });

  it('takes a waiting request out of the queue when its client goes away', async () => {
    const pool = open({ workers: 1, queue: 1 });
    const running = pool.validate(body(2000), noFabric);
    const gone = new AbortController();
    const waiting = pool.validate(body(1), noFabric, gone.signal);
    gone.abort();
    await expect(waiting).rejects.toThrow();
    // its place in the queue is free again
    const next = pool.validate(body(1), noFabric);
    await running;
    expect(JSON.parse((await next).toString()).valid).toBe(true);
  });

  it('stops a request that takes too long, and one that needs too much memory, and goes on', async () => {
    const slow = open({ timeoutMs: 50 });
    await expect(slow.validate(body(3000), noFabric)).rejects.toThrow(ServiceUnavailableError);
    const small = open({ maxHeapMb: 16 });
    await expect(small.validate(body(20_000), noFabric)).rejects.toThrow(/needs more than 16 MB of memory/);
    expect(JSON.parse((await small.validate(body(1), noFabric)).toString()).valid).toBe(true);
  });
});
