import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../harness/app.js';
import { CHANNELS, commitStep, PEOPLE, startCoalition } from '../../harness/coalition.js';
import { fireSlot } from '../../harness/scheduler.js';

// A poison item never stops the rest: a message the database or Slack refuses fails alone, recorded with
// its reason, in every job; so does a whole workspace whose work fails.
let t: TestApp;
beforeAll(async () => {
  t = await startCoalition();
  t.clock.set('2026-11-23T15:00:00Z');
  await commitStep(t, PEOPLE.fay, 'Print the flyers', '2026-11-25');
  await commitStep(t, PEOPLE.finn, 'Call the county', '2026-11-25');
  await commitStep(t, PEOPLE.cora, 'Poison pill', '2026-11-25');
  // The database refuses, as it would a broken row, every message queued about one step or for one workspace.
  await sql`
    create function refuse_poison() returns trigger language plpgsql as $$
    begin
      if new.team_id = 'T0000POISON'
         or new.action_step_id in (select id from action_steps where title = 'Poison pill') then
        raise exception 'refused: %', new.dedupe_key;
      end if;
      return new;
    end $$`.execute(t.db);
  await sql`create trigger refuse_poison before insert on outbox for each row execute function refuse_poison()`.execute(
    t.db,
  );
});
afterAll(() => t.stop());

const dmsAbout = (user: string, title: string) =>
  t.fake
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === user && String(c.args.text).includes(title));

describe('one step whose nudge the database refuses', () => {
  it('leaves every other step nudged, at every tick, and the job does not fail', async () => {
    for (const at of ['2026-11-24T14:00:00Z', '2026-11-24T18:00:00Z', '2026-11-24T18:15:00Z'])
      await fireSlot(t, 'nudges', new Date(at));
    expect(dmsAbout(PEOPLE.fay, 'Print the flyers')).toHaveLength(1);
    expect(dmsAbout(PEOPLE.finn, 'Call the county')).toHaveLength(1);
    expect(dmsAbout(PEOPLE.cora, 'Poison pill')).toEqual([]);
  });
});

describe('one message Slack refuses', () => {
  it('fails alone with Slack’s reason; the others of the same run are sent', async () => {
    t.fake.failNext('chat.postMessage', { error: 'invalid_blocks' });
    await fireSlot(t, 'nudges', new Date('2026-11-25T14:00:00Z'));
    const due = await t.db
      .selectFrom('outbox')
      .select(['channel_id', 'status', 'last_error'])
      .where('kind', '=', 'nudge_due')
      .orderBy('id')
      .execute();
    expect(due.map((r) => `${r.status} ${r.last_error ?? ''}`.trim())).toEqual([
      'failed invalid_blocks',
      'sent',
    ]);
  });
});

describe('one workspace whose work fails', () => {
  it('leaves the others’ digest posted', async () => {
    const at = new Date('2026-11-20T00:00:00Z');
    await t.db
      .insertInto('workspaces')
      .values({
        team_id: 'T0000POISON',
        core_channel_id: 'CPCORE',
        backbone_channel_id: 'CPBACKBONE',
        set_up_by: PEOPLE.admin,
        set_up_at: at,
        created_at: at,
        updated_at: at,
      })
      .execute();
    // Monday 08:00 in New York, both workspaces' digest time.
    await fireSlot(t, 'digest', new Date('2026-11-30T13:00:00Z'));
    expect(t.fake.messages(CHANNELS.backbone).some((m) => m.text.includes('digest'))).toBe(true);
  });
});
