/*
 * Pushes a change into the throwaway demo fabric repository the e2e app runs
 * on (E2E_DEMO_REPO, set by scripts/e2e.sh), so that pressing Sync has real
 * work to do: ingest a new raw file, validate, commit and import.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'E2E',
  GIT_AUTHOR_EMAIL: 'e2e@example.invalid',
  GIT_COMMITTER_NAME: 'E2E',
  GIT_COMMITTER_EMAIL: 'e2e@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_TERMINAL_PROMPT: '0',
};

export const E2E_VPC = 'vpc-e2e';

/** Adds fabrics/demo/raw/e2e-vpc.yaml (one VPC) to the demo repository. */
export function pushRawVpc(repo: string): void {
  const work = mkdtempSync(path.join(os.tmpdir(), 'hedgehog-e2e-clone-'));
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: work,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  try {
    execFileSync('git', ['clone', '--quiet', '--branch', 'main', repo, work], {
      env,
    });
    const raw = path.join(work, 'fabrics', 'demo', 'raw');
    mkdirSync(raw, { recursive: true });
    writeFileSync(
      path.join(raw, 'e2e-vpc.yaml'),
      [
        '# Added by the end-to-end test',
        'apiVersion: vpc.githedgehog.com/v1beta1',
        'kind: VPC',
        'metadata:',
        `  name: ${E2E_VPC}`,
        '  namespace: default',
        'spec:',
        '  ipv4Namespace: default',
        '  vlanNamespace: default',
        '  subnets:',
        '    default:',
        '      subnet: 10.0.90.0/24',
        '      gateway: 10.0.90.1',
        '      vlan: 1090',
        '',
      ].join('\n'),
    );
    git('add', '-A');
    git('commit', '--quiet', '-m', 'e2e: add a VPC');
    git('push', '--quiet', 'origin', 'HEAD:refs/heads/main');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
