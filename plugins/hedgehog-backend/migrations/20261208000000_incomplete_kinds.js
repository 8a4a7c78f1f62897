/*
 * Whether a fabric's desired state is complete, per kind: the kinds some managed
 * file of which did not make it into the last import (unreadable, invalid, not
 * YAML, a second definition, or not yet at its path in a branch the plugin does not
 * push to). Apply prunes nothing of such a kind. Every import writes it ({} when
 * nothing was left out); NULL means no import recorded it (never imported, or
 * imported before this column), and apply then prunes nothing at all.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('hedgehog_fabrics', table => {
    table
      .text('incomplete_kinds')
      .nullable()
      .comment('JSON: {kind: {count, files}} of the managed files the last import left out; NULL: not recorded');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('hedgehog_fabrics', table => {
    table.dropColumn('incomplete_kinds');
  });
};
