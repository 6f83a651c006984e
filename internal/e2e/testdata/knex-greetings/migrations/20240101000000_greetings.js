exports.up = async (knex) => {
  await knex.schema.createTable('greetings', (t) => {
    t.increments('id');
    t.text('text').notNullable();
  });
  await knex('greetings').insert({ text: 'hello' });
};

exports.down = (knex) => knex.schema.dropTable('greetings');
