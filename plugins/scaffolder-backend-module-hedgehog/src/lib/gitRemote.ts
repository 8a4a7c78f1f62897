import { GIT_ASKPASS_SCRIPT, askpassEnvironment } from '@fabric-gitops/plugin-hedgehog-node';
import { Config } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { InputError } from '@backstage/errors';
import { execFile } from 'child_process';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';

/** Credentials for a Git URL, handed to git through an askpass helper's environment. */
interface Credentials {
  username: string;
  password: string;
}

const TIMEOUT_MS = 120_000;

/**
 * A temporary clone of one branch of a repository, for the actions that read a
 * fabric directory from Git or push one to it. Credentials come from Backstage's
 * `integrations` (GitHub, GitLab) and reach git through an askpass helper in a
 * private temporary folder: never the URL, argv, logs or errors.
 */
export class GitRemote {
  private constructor(
    readonly url: string,
    readonly branch: string,
    /** The working tree. */
    readonly dir: string,
    /** False when the branch did not exist (an empty repository, or a new branch). */
    readonly branchExisted: boolean,
    private readonly root: string,
    private readonly env: Record<string, string>,
    private readonly secrets: string[],
  ) {}

  /** Clones the branch (shallow); a missing branch gives an empty working tree on it. */
  static async open(
    config: Config,
    url: string,
    branch: string,
  ): Promise<GitRemote> {
    checkUrl(url);
    if (!/^[A-Za-z0-9._/-]+$/.test(branch) || branch.startsWith('-')) {
      throw new InputError(`"${branch}" is not a branch name`);
    }
    const credentials = await credentialsFor(config, url);
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-git-'));
    await fs.chmod(root, 0o700);
    const env: Record<string, string> = {
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Backstage',
      GIT_AUTHOR_EMAIL: 'scaffolder@backstage.invalid',
      GIT_COMMITTER_NAME: 'Backstage',
      GIT_COMMITTER_EMAIL: 'scaffolder@backstage.invalid',
    };
    if (credentials) {
      const askpass = path.join(root, 'askpass.sh');
      await fs.writeFile(askpass, GIT_ASKPASS_SCRIPT, { mode: 0o700, flag: 'wx' });
      Object.assign(env, {
        GIT_ASKPASS: askpass,
        ...askpassEnvironment(credentials),
      });
    }
    const secrets = credentials ? [credentials.password] : [];
    const dir = path.join(root, 'work');
    const remote = (existed: boolean) =>
      new GitRemote(url, branch, dir, existed, root, env, secrets);
    try {
      const heads = await git(
        ['ls-remote', '--heads', '--', url, `refs/heads/${branch}`],
        root,
        env,
        secrets,
        `cannot read the repository ${url}`,
      );
      if (heads.trim()) {
        await git(
          ['clone', '--quiet', '--depth', '1', '--single-branch', '--branch', branch, '--', url, dir],
          root,
          env,
          secrets,
          `cannot clone branch ${branch} of ${url}`,
        );
        return remote(true);
      }
      await fs.mkdir(dir);
      await git(['init', '--quiet', `--initial-branch=${branch}`], dir, env, secrets, 'git init failed');
      await git(['remote', 'add', 'origin', '--', url], dir, env, secrets, 'git remote add failed');
      return remote(false);
    } catch (e) {
      await fs.rm(root, { recursive: true, force: true });
      throw e;
    }
  }

  /**
   * Commits everything in the working tree and pushes it to `toBranch` (default the
   * branch cloned). Resolves with the commit, or undefined when nothing changed.
   */
  async commitAndPush(message: string, toBranch = this.branch): Promise<string | undefined> {
    await this.run(['add', '-A'], 'git add failed');
    const status = await this.run(['status', '--porcelain'], 'git status failed');
    if (!status.trim()) return undefined;
    await this.run(['commit', '--quiet', '-m', message], 'git commit failed');
    const commit = (await this.run(['rev-parse', 'HEAD'], 'git rev-parse failed')).trim();
    await this.run(
      ['push', '--quiet', 'origin', `HEAD:refs/heads/${toBranch}`],
      `the push to branch ${toBranch} of ${this.url} was refused (if the branch moved meanwhile, run the template again)`,
    );
    return commit;
  }

  async dispose(): Promise<void> {
    await fs.rm(this.root, { recursive: true, force: true });
  }

  private run(args: string[], what: string) {
    return git(args, this.dir, this.env, this.secrets, what);
  }
}

function checkUrl(url: string) {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(`"${url}" is not a Git URL`);
  }
  if (!['https:', 'http:', 'ssh:', 'git:', 'file:'].includes(parsed.protocol)) {
    throw new InputError(`"${url}" is not a Git URL (https, http, ssh, git or file)`);
  }
  if (parsed.username || parsed.password) {
    throw new InputError(
      'the Git URL must not carry credentials; configure them under integrations in app-config',
    );
  }
}

async function credentialsFor(config: Config, url: string): Promise<Credentials | undefined> {
  if (!/^https?:\/\//i.test(url)) return undefined;
  const integrations = ScmIntegrations.fromConfig(config);
  if (integrations.github.byUrl(url)) {
    const { token } = await DefaultGithubCredentialsProvider.fromIntegrations(
      integrations,
    ).getCredentials({ url });
    return token ? { username: 'x-access-token', password: token } : undefined;
  }
  const gitlab = integrations.gitlab.byUrl(url)?.config;
  return gitlab?.token ? { username: 'oauth2', password: gitlab.token } : undefined;
}

function git(
  args: string[],
  cwd: string,
  env: Record<string, string>,
  secrets: string[],
  what: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { cwd, env: { ...baseEnv(), ...env }, timeout: TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) {
          resolve(stdout);
          return;
        }
        const scrub = (s: string) => secrets.reduce((t, x) => (x ? t.split(x).join('***') : t), s);
        const detail = scrub(String(stderr || error.message)).trim().split('\n').slice(-3).join(' ');
        reject(new InputError(`${what}: ${detail}`));
      },
    );
  });
}

/** The process environment without git settings that would redirect it. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('GIT_')) env[k] = v;
  }
  return env;
}
