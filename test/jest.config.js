// Jest config of the test/ workspace: its tests live in folders beside src-less
// test infrastructure, so the root is the package itself rather than src/.
const cfg = '@backstage/cli-module-test-jest/config';
module.exports = {
  rootDir: __dirname,
  testEnvironment: require.resolve('jest-environment-node'),
  testMatch: ['**/*.test.{ts,js}'],
  testPathIgnorePatterns: ['/node_modules/', '/e2e/', '/bench/'],
  moduleFileExtensions: ['ts', 'js', 'json', 'node'],
  // Product code imported by the reliability suite pulls in ESM-only packages
  // (@kubernetes/client-node): transpile node_modules too, except the packages
  // the Backstage CLI's own config also leaves alone.
  transformIgnorePatterns: [
    '/node_modules/(?:@material-ui|ajv|core-js|jest-.*|jsdom|knex|react|react-dom|typescript)/',
  ],
  transform: {
    '\\.(ts|js)$': [
      require.resolve(`${cfg}/jestSwcTransform`),
      {
        module: { type: 'commonjs', ignoreDynamic: true },
        jsc: { parser: { syntax: 'typescript' } },
      },
    ],
    '\\.yaml$': require.resolve(`${cfg}/jestYamlTransform`),
  },
};
