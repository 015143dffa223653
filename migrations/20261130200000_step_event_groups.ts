import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/**
 * Each step event carries its step's work group (a step's group is set when it is made and never changes),
 * filled from the step as the event is written, by a trigger so that no writer can leave it out. The
 * digest's count of renegotiations and drops by group then reads the period's events from one index alone
 * (action_step_events_changes), instead of looking up the group of each event's step among every step:
 * at 20,000 people, 100,000 events in twelve weeks joined to a million steps.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('action_step_events').addColumn('work_group_id', 'integer').execute();
  await sql`
    update action_step_events e set work_group_id = s.work_group_id
    from action_steps s
    where s.id = e.action_step_id and s.work_group_id is not null`.execute(db);
  await sql`
    create function action_step_event_group() returns trigger language plpgsql as $$
    begin
      if new.work_group_id is null then
        select s.work_group_id into new.work_group_id from action_steps s where s.id = new.action_step_id;
      end if;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger action_step_event_group before insert on action_step_events
    for each row execute function action_step_event_group()`.execute(db);
  await sql`drop index action_step_events_changes`.execute(db);
  await sql`
    create index action_step_events_changes on action_step_events (team_id, at)
    include (kind, action_step_id, old_due_date, work_group_id) where kind in ('renegotiated', 'dropped')`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index action_step_events_changes`.execute(db);
  await sql`
    create index action_step_events_changes on action_step_events (team_id, at)
    include (kind, action_step_id, old_due_date) where kind in ('renegotiated', 'dropped')`.execute(db);
  await sql`drop trigger action_step_event_group on action_step_events`.execute(db);
  await sql`drop function action_step_event_group()`.execute(db);
  await db.schema.alterTable('action_step_events').dropColumn('work_group_id').execute();
}
