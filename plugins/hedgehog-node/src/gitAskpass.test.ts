import { execFileSync } from 'child_process';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { GIT_ASKPASS_SCRIPT, askpassEnvironment } from './gitAskpass';

describe('the git askpass helper', () => {
  it("answers git's username and password prompts from the environment it is given", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'askpass-test-'));
    try {
      const file = path.join(dir, 'askpass.sh');
      await fs.writeFile(file, GIT_ASKPASS_SCRIPT, { mode: 0o700 });
      const env = { PATH: process.env.PATH ?? '', ...askpassEnvironment({ username: 'x-access-token', password: 's3cr:et' }) };
      const ask = (prompt: string) => execFileSync(file, [prompt], { env, encoding: 'utf8' });
      expect(ask("Username for 'https://example.test': ")).toBe('x-access-token\n');
      expect(ask("Password for 'https://x-access-token@example.test': ")).toBe('s3cr:et\n');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
