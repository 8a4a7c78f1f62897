/* A GitHub REST API test server on loopback, beside the loopback Git server. */
export * from './githubApiServer';
