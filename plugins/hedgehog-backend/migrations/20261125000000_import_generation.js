/*
 * A counter every import of a fabric's desired state moves. A backend remembers
 * what its last import of a fabric wrote together with this number, and compares
 * the next import against that memory instead of reading every resource row back,
 * as long as no other replica imported the fabric in between.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('hedgehog_fabrics', table => {
    table
      .integer('import_generation')
      .notNullable()
      .defaultTo(0)
      .comment('Incremented by every import of the fabric\'s resources and unmanaged files');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('hedgehog_fabrics', table => {
    table.dropColumn('import_generation');
  });
};
