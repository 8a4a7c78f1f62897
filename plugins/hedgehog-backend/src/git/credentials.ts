import {
  DefaultGithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { GitCredentials } from './runGit';

/**
 * Finds credentials for a Git URL in Backstage's `integrations` config. They are
 * handed to git through the askpass helper's environment, never the URL.
 */
export class GitCredentialsResolver {
  private readonly github: DefaultGithubCredentialsProvider;

  constructor(private readonly integrations: ScmIntegrationRegistry) {
    this.github = DefaultGithubCredentialsProvider.fromIntegrations(integrations);
  }

  async forUrl(url: string): Promise<GitCredentials | undefined> {
    if (!/^https?:\/\//i.test(url)) return undefined;
    const i = this.integrations;
    if (i.github.byUrl(url)) {
      const { token } = await this.github.getCredentials({ url });
      return token ? { username: 'x-access-token', password: token } : undefined;
    }
    const gitlab = i.gitlab.byUrl(url)?.config;
    if (gitlab) {
      return gitlab.token ? { username: 'oauth2', password: gitlab.token } : undefined;
    }
    const bitbucket = i.bitbucketServer.byUrl(url)?.config;
    if (bitbucket) {
      if (bitbucket.username && bitbucket.password) {
        return { username: bitbucket.username, password: bitbucket.password };
      }
      return bitbucket.token ? { username: 'x-token-auth', password: bitbucket.token } : undefined;
    }
    // Integrations configured with a username and password (Gitea, Gerrit).
    const basic = i.gitea.byUrl(url)?.config ?? i.gerrit.byUrl(url)?.config;
    if (basic?.username && basic.password) {
      return { username: basic.username, password: basic.password };
    }
    return undefined;
  }
}
