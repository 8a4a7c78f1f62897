// The frontend talks to the backend over HTTP through -common's client
// (docs/architecture.md#layers); it imports no backend package.
module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  restrictedImportPatterns: ['@fabric-gitops/plugin-hedgehog-backend*', '@fabric-gitops/plugin-hedgehog-node*', '@fabric-gitops/plugin-*-backend-module-*'],
});
