// Modules build on -common and -node, never on the backend plugin's package
// (docs/architecture.md#layers); tests may start the backend plugin.
module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  restrictedImportPatterns: ['@fabric-gitops/plugin-hedgehog-backend', '@fabric-gitops/plugin-hedgehog-backend/*'],
});
