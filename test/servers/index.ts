/* Real Git servers on loopback and git CLI helpers for integration tests. */
export * from './gitRepos';
export * from './gitDaemon';
export * from './gitHttpServer';
export * from './generatedFiles';
