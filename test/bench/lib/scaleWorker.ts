/*
 * One backend replica of the `scale` group: Backstage's real backend
 * (`createBackend` of @backstage/backend-defaults, every default service: the
 * scheduler with its global task locks in the database, the database manager,
 * the root HTTP router, Winston logging) with the hedgehog plugin, exactly as a
 * production backend package starts it. Its configuration is an app-config
 * file given as `--config <file>` (figures/scale.ts writes it), read by the
 * default root config service.
 *
 *   scaleWorker.ts --config <app-config.json>
 *
 * The bench reads what this process did from its log lines on stdout (JSON, as
 * NODE_ENV=production makes them), its CPU time and peak RSS from /proc.
 */
import { createBackend } from '@backstage/backend-defaults';
import hedgehogPlugin from '@fabric-gitops/plugin-hedgehog-backend';

const backend = createBackend();
backend.add(hedgehogPlugin);
backend.start().catch(e => {
  process.stderr.write(`backend failed to start: ${e?.stack ?? e}\n`);
  process.exit(1);
});
