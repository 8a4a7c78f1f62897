/*
 * The kinds a fabric manages, as the last import saw them: what the fabric
 * directory's manifest said (`scope`; app-config wins over it, it wins over the
 * catalog entity) and the kinds that import managed. Apply, prune, drift and adopt
 * resolve the fabric's kinds with the manifest's; a sync plans the whole fabric
 * again when the kinds it would manage are not those the last import managed.
 * NULL: no import recorded it (never imported, or imported before this column):
 * the manifest said nothing, and the import managed every kind.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('hedgehog_fabrics', table => {
    table
      .text('kind_scope')
      .nullable()
      .comment('JSON: {manifest?: preset or kinds, imported: kinds} of the last import; NULL: not recorded');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('hedgehog_fabrics', table => {
    table.dropColumn('kind_scope');
  });
};
