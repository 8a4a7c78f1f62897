/*
 * Requests that joined a queued run instead of queuing another one (an API call
 * while a scheduled sync waits, a webhook during a burst of clicks, ...), so a
 * run says every trigger it serves, not only the first.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('hedgehog_runs', table => {
    table
      .text('coalesced')
      .nullable()
      .comment('JSON array of the requests that joined this run while it was queued: {trigger, requestedBy?, at}');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('hedgehog_runs', table => {
    table.dropColumn('coalesced');
  });
};
