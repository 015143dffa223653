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

/** Sets when the account was deactivated (a Date) or clears it (null); true when it changed. */
export async function setDeactivatedAt(
  db: Db,
  teamId: string,
  userId: string,
  at: Date | null,
): Promise<boolean> {
  const result = await db
    .updateTable('people')
    .set({ deactivated_at: at })
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .where('deactivated_at', at ? 'is' : 'is not', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
