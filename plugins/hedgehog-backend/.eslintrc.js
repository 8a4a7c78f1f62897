/*
 * The backend's layers (docs/architecture.md#layers), enforced: calls go
 * service -> pipeline -> core and adapters. The core (gitops/, validation/,
 * drift/, topology/) is pure and imports no adapter, no pipeline and no service; adapters
 * (git/, github/, cluster/, database/) know no orchestration; a run (pipeline/)
 * never calls back into the service. Tests and test utilities are exempt.
 */
const TEST_FILES = ['**/*.test.*', '**/__testUtils__/**', 'src/setupTests.*'];
// The CLI's own patterns, which an override replaces and so must repeat.
const BASE_PATTERNS = ['*.stories*', '*.test*', '**/__testUtils__/**', '**/__mocks__/**'];

const folder = name => [`**/${name}/*`, `**/${name}`];
const layer = (files, forbidden) => ({
  files,
  excludedFiles: TEST_FILES,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          { group: BASE_PATTERNS, message: 'product code imports no tests, stories or test utilities' },
          ...forbidden.map(([group, message]) => ({ group, message })),
        ],
      },
    ],
  },
});

const NO_SERVICE = [[...folder('service'), '**/plugin'], 'the service wires the plugin; nothing below it imports it'];
const NO_PIPELINE = [folder('pipeline'), 'adapters and the core know no orchestration: the pipeline calls them'];
const IO = [
  [...folder('git'), ...folder('github'), ...folder('cluster'), ...folder('database'), 'knex', '@kubernetes/client-node', '@octokit/*', 'child_process', 'fs', 'express'],
  'the core does no I/O: it is called with data and returns data',
];

module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  overrides: [
    layer(['src/gitops/**', 'src/validation/**', 'src/drift/**', 'src/topology/**'], [NO_SERVICE, NO_PIPELINE, IO]),
    layer(['src/git/**'], [NO_SERVICE, NO_PIPELINE, [[...folder('cluster'), ...folder('github'), ...folder('database')], 'adapters do not know each other']]),
    layer(['src/cluster/**'], [NO_SERVICE, NO_PIPELINE, [[...folder('git'), ...folder('github'), ...folder('database')], 'adapters do not know each other']]),
    layer(['src/database/**'], [NO_SERVICE, NO_PIPELINE, [[...folder('git'), ...folder('github'), ...folder('cluster')], 'adapters do not know each other']]),
    layer(['src/github/**'], [NO_SERVICE, NO_PIPELINE, [[...folder('cluster'), ...folder('database')], 'adapters do not know each other']]),
    layer(['src/pipeline/**'], [NO_SERVICE]),
  ],
});
