/*
 * Runs the browser end-to-end tests against an app that is already running
 * (scripts/e2e.sh starts and stops it). Prints "N passed, N failed" and exits
 * non-zero when a test failed. Screenshots go to test/e2e/artifacts/.
 */
import './fabric.e2e.ts';
import './signals.e2e.ts';
import './pullRequests.e2e.ts';
import './findings.e2e.ts';
import './review.e2e.ts';
import './topology.e2e.ts';
import './signIn.e2e.ts';
import './addFabric.e2e.ts';
import './restore.e2e.ts';
import './pageErrors.e2e.ts';
import { ARTIFACTS, runTests } from './harness.ts';

const start = Date.now();
const { passed, failed } = await runTests();
console.log(`screenshots: ${ARTIFACTS}`);
console.log(`e2e tests took ${((Date.now() - start) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
