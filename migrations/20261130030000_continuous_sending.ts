import { type Kysely, sql } from 'kysely';

/**
 * Continuous sending. A message queued (or queued again) wakes the senders at once: each statement that inserts outbox rows, or
 * makes rows pending again, notifies the channel `concert_outbox` when its transaction commits (PostgreSQL
 * folds the notifications of one transaction into one). Every instance LISTENs on it; the embedded database
 * delivers it in process.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function outbox_notify() returns trigger language plpgsql as $$
    begin
      perform pg_notify('concert_outbox', '');
      return null;
    end $$`.execute(db);
  await sql`
    create trigger outbox_queued after insert on outbox
    for each statement execute function outbox_notify()`.execute(db);
  await sql`
    create trigger outbox_requeued after update of status on outbox
    for each row when (new.status = 'pending' and old.status <> 'pending')
    execute function outbox_notify()`.execute(db);
  // The workspace's rate, shared by every instance: when its next post would go had all gone at the rate.
  await db.schema
    .createTable('send_pace')
    .addColumn('team_id', 'text', (c) => c.primaryKey())
    .addColumn('tat', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('send_pace').execute();
  await sql`drop trigger outbox_requeued on outbox`.execute(db);
  await sql`drop trigger outbox_queued on outbox`.execute(db);
  await sql`drop function outbox_notify()`.execute(db);
}
