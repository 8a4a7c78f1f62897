/*
 * The findings of each fabric's imported states, so that they can be listed,
 * filtered, counted and exported exactly (thousands of them), with whether each
 * is new since the previous import; and what a run needs to page through its own.
 *
 * hedgehog_findings keeps a short history: a row holds one finding from the
 * import that found it (`opened`) until the import that no longer found it
 * (`closed`, null while it is current). The findings of import g are the rows with
 * opened <= g < closed; a run that imported at g lists those. Closed rows are
 * deleted once they are older than the last imports kept.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('hedgehog_findings', table => {
    table.comment('Validation findings of the imported states of each fabric (current and recent)');
    table.increments('id');
    table.string('fabric', 63).notNullable();
    table.string('severity', 16).notNullable();
    table.string('rule', 64).notNullable();
    table.string('file', 1024).notNullable();
    table.integer('document').nullable().comment('0-based document index in the file');
    table.text('path').notNullable().comment('JSON path in the document');
    table.text('message').notNullable();
    table.integer('left_out').notNullable().defaultTo(0).comment('findings of the rule this summary finding stands for');
    table.string('kind', 63).nullable().comment('the resource the finding is on, if any');
    table.string('name', 253).nullable();
    table.integer('first_seen').notNullable().comment('import generation since which the finding is there without a break');
    table.integer('opened').notNullable().comment('first import generation this row holds for');
    table.integer('closed').nullable().comment('import generation it no longer holds for; null while current');
    table.index(['fabric', 'closed'], 'hedgehog_findings_fabric_closed_idx');
    table.index(['fabric', 'rule'], 'hedgehog_findings_fabric_rule_idx');
    table.index(['fabric', 'file'], 'hedgehog_findings_fabric_file_idx');
    table.index(['fabric', 'kind', 'name'], 'hedgehog_findings_fabric_resource_idx');
  });
  await knex.schema.alterTable('hedgehog_fabrics', table => {
    table
      .integer('findings_generation')
      .nullable()
      .comment('The import generation whose findings hedgehog_findings holds (null: none recorded yet)');
  });
  await knex.schema.alterTable('hedgehog_runs', table => {
    table.integer('import_generation').nullable().comment('The import generation the run wrote, when it imported');
    table.text('finding_totals').nullable().comment('JSON {errors, warnings, new?}: exact totals of the run\'s findings');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('hedgehog_runs', table => {
    table.dropColumn('finding_totals');
    table.dropColumn('import_generation');
  });
  await knex.schema.alterTable('hedgehog_fabrics', table => {
    table.dropColumn('findings_generation');
  });
  await knex.schema.dropTable('hedgehog_findings');
};
