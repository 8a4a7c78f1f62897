/*
 * Tables of the hedgehog backend plugin: fabric state, runs, resources and
 * unmanaged files (docs/architecture.md#data-model). Times are milliseconds since the epoch.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('hedgehog_fabrics', table => {
    table.comment('State of each fabric');
    table.string('name', 63).primary();
    table.string('last_synced_commit', 64).nullable();
    table.bigInteger('last_sync_at').nullable();
    table.string('last_run_id', 36).nullable();
    table.string('status', 32).notNullable().defaultTo('never_synced');
    table.text('error').nullable();
    table.text('counts').nullable().comment('JSON: resources per kind');
    table.string('lock_owner', 64).nullable();
    table.bigInteger('lock_expires_at').nullable();
    table.bigInteger('updated_at').notNullable();
  });

  await knex.schema.createTable('hedgehog_runs', table => {
    table.comment('Sync, apply and drift runs with their stages');
    table.string('id', 36).primary();
    table.string('fabric', 63).notNullable();
    table.string('type', 16).notNullable();
    table.string('trigger', 16).notNullable();
    table.string('requested_by', 255).nullable();
    table.string('status', 16).notNullable();
    table.text('options').nullable().comment('JSON');
    table.bigInteger('queued_at').notNullable();
    table.bigInteger('started_at').nullable();
    table.bigInteger('finished_at').nullable();
    table.bigInteger('heartbeat_at').nullable();
    table.string('commit_before', 64).nullable();
    table.string('commit_after', 64).nullable();
    table.text('stages').notNullable().comment('JSON array of stage records');
    table.text('findings').nullable().comment('JSON array, capped');
    table.integer('finding_count').notNullable().defaultTo(0);
    table.text('error').nullable();
    table.index(['fabric', 'queued_at'], 'hedgehog_runs_fabric_queued_idx');
    table.index(['fabric', 'status'], 'hedgehog_runs_fabric_status_idx');
  });

  await knex.schema.createTable('hedgehog_resources', table => {
    table.comment('Desired (Git) and live (cluster) state of each resource');
    table.string('fabric', 63).notNullable();
    table.string('kind', 63).notNullable();
    table.string('name', 253).notNullable();
    table.string('namespace', 63).notNullable().defaultTo('default');
    table.text('git_path').notNullable();
    table.string('blob_id', 64).nullable();
    table.text('desired').notNullable().comment('JSON');
    table.text('source_file').nullable();
    table.integer('source_index').nullable();
    table.text('findings').nullable().comment('JSON array');
    table.integer('error_count').notNullable().defaultTo(0);
    table.integer('warning_count').notNullable().defaultTo(0);
    table.text('live').nullable().comment('JSON');
    table.string('live_resource_version', 64).nullable();
    table.string('apply_status', 16).notNullable().defaultTo('not_applied');
    table.text('apply_error').nullable();
    table.string('drift_status', 32).notNullable().defaultTo('unknown');
    table.float('drift_score').nullable();
    table.text('differences').nullable().comment('JSON array');
    table.bigInteger('updated_at').notNullable();
    table.primary(['fabric', 'kind', 'name']);
    table.index(['fabric', 'name'], 'hedgehog_resources_fabric_name_idx');
    table.index(['fabric', 'drift_status'], 'hedgehog_resources_fabric_drift_idx');
  });

  await knex.schema.createTable('hedgehog_unmanaged_files', table => {
    table.comment('Files kept verbatim in unmanaged/ and why');
    table.string('fabric', 63).notNullable();
    table.string('path', 1024).notNullable();
    table.text('original_path').nullable();
    table.text('reasons').notNullable().comment('JSON array');
    table.string('reason_blob_id', 64).nullable();
    table.primary(['fabric', 'path']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('hedgehog_unmanaged_files');
  await knex.schema.dropTable('hedgehog_resources');
  await knex.schema.dropTable('hedgehog_runs');
  await knex.schema.dropTable('hedgehog_fabrics');
};
