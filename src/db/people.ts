import type { Db } from './database.js';
import type { NewPerson, Person } from './schema.js';

export async function findPerson(db: Db, teamId: string, userId: string): Promise<Person | undefined> {
  return db
    .selectFrom('people')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function upsertPerson(db: Db, person: NewPerson): Promise<Person> {
  const { team_id, user_id, ...rest } = person;
  return db
    .insertInto('people')
    .values(person)
    .onConflict((oc) => oc.columns(['team_id', 'user_id']).doUpdateSet(rest))
    .returningAll()
    .executeTakeFirstOrThrow();
}
