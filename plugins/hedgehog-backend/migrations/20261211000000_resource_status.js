/*
 * A fabric's resource rows counted by drift status, and those whose last apply
 * failed, written with every write of those rows (import, apply, drift). The
 * fabric list reads them from here: counting them per fabric on every list took
 * two statements per fabric (400 for 200 fabrics, about 2 s at 1,000,000 rows).
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('hedgehog_fabrics', table => {
    table
      .text('resource_status')
      .nullable()
      .comment(
        'JSON {drift: {status: count}, applyFailed}: counts of the resource rows; NULL: not recorded (counted on read)',
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('hedgehog_fabrics', table => {
    table.dropColumn('resource_status');
  });
};
