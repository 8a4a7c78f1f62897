module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // The test workspace drives the product's internals (store, pipeline, git,
    // router) on purpose, as each package's own tests do, from outside them.
    '@backstage/no-relative-monorepo-imports': 'off',
    '@backstage/no-forbidden-package-imports': 'off',
    // Helpers that run a case and assert inside it.
    'jest/expect-expect': [
      'error',
      { assertFunctionNames: ['expect', 'scenario', 'verifyCase'] },
    ],
    // Table-driven cases choose their checks by the case; every branch asserts.
    'jest/no-conditional-expect': 'off',
  },
});
