import { redact, runGit } from './runGit';

describe('runGit', () => {
  it('redacts user info in URLs and given secrets', () => {
    expect(redact('fatal: unable to access https://bob:s3cr3t-token@example.com/x.git/', [])).toBe(
      'fatal: unable to access https://***@example.com/x.git/',
    );
    expect(redact('token abcd1234 leaked twice: abcd1234', ['abcd1234'])).toBe('token *** leaked twice: ***');
  });

  it('never passes inherited GIT_ variables to git, and times out', async () => {
    process.env.GIT_DIR = '/nonexistent';
    try {
      const ok = await runGit(['--version'], { cwd: process.cwd(), timeoutMs: 10_000 });
      expect(ok.code).toBe(0);
      expect(ok.stdout.toString()).toMatch(/^git version/);
    } finally {
      delete process.env.GIT_DIR;
    }
    await expect(
      runGit(['-c', 'alias.wait=!sleep 5', 'wait'], { cwd: process.cwd(), timeoutMs: 200 }),
    ).rejects.toThrow('git wait timed out after 0.2 s');
  });
});
