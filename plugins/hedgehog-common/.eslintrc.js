// -common is imported by the frontend and the backend alike: it imports no
// other package of the suite (docs/architecture.md#layers).
module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  restrictedImportPatterns: ['@fabric-gitops/*'],
});
