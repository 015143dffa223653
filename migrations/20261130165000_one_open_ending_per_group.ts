import { type Kysely, sql } from 'kysely';

/**
 * One open vote of a work group on ending its partnership at a time, kept by the database: two
 * representatives submitting the form at the same moment both pass the form's check, and the second insert
 * then finds this index. Only the group's own votes (stage `group`): a Core proposal to end a partnership
 * opens from one group decision (`proposals_one_per_group_decision`), and those made before group votes
 * existed stay as they were.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create unique index proposals_one_open_group_ending on proposals
    (team_id, (payload ->> 'workGroupId'))
    where kind = 'end_work_group' and stage = 'group' and status = 'open'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('proposals_one_open_group_ending').execute();
}
