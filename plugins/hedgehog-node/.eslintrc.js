// -node is what backend modules build on: it imports -common, never the
// backend plugin or a module (docs/architecture.md#layers).
module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  restrictedImportPatterns: ['@fabric-gitops/plugin-hedgehog-backend*', '@fabric-gitops/plugin-*-backend-module-*', '@fabric-gitops/plugin-hedgehog'],
});
