/*
 * What is open in a fabric's Git now: the error and warning findings and the
 * conflicts of its last imported state. A fabric's status is derived from them
 * (and from the last sync's outcome and failed applies), so a sync that finds
 * nothing new never turns a fabric with open errors green.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('hedgehog_fabrics', table => {
    table
      .text('open_findings')
      .nullable()
      .comment('JSON {errors, warnings, conflicts}: totals of the last imported state, never truncated');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('hedgehog_fabrics', table => {
    table.dropColumn('open_findings');
  });
};
