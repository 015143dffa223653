import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_USER_ID, TEAM_ID, type TestApp } from '../harness/app.js';
import { CHANNELS, PEOPLE, startCoalition } from '../harness/coalition.js';
import { groupVote, propose, setCore } from '../harness/proposals.js';
import { fireSlot } from '../harness/scheduler.js';

// A work group agreed to end its partnership while Concert could not post in the Core channel: the Core's
// proposal could not open at the close. It opens by itself once Concert is back in the Core, once.

let t: TestApp;
beforeAll(async () => {
  t = await startCoalition();
  await setCore(t, [PEOPLE.ben, PEOPLE.cora, PEOPLE.carl, PEOPLE.fay]);
});
afterAll(() => t.stop());

const event = async (body: Record<string, unknown>) => {
  expect((await t.slack.event({ team: TEAM_ID, ...body })).status).toBe(200);
  await t.settled();
};
const proposalsTitled = (title: string) =>
  t.db.selectFrom('proposals').selectAll().where('title', '=', title).orderBy('id').execute();
const saidIn = (channel: string, start: string) =>
  t.fake.messages(channel).filter((m) => m.text.startsWith(start));

describe('the Core’s proposal that could not open when the group agreed', () => {
  it('opens by itself once the Core channel is back, once, and the group and the backbone are told', async () => {
    t.clock.set('2026-11-23T15:00:00Z');
    expect((await propose(t, PEOPLE.cora, 'We stop here', 'end_work_group')).body).toBe('');
    await t.settled();
    // Concert is removed from the Core channel while the group votes.
    await event({ type: 'member_left_channel', channel: CHANNELS.core, user: BOT_USER_ID });
    for (const member of [PEOPLE.cora, PEOPLE.fay, PEOPLE.finn])
      await groupVote(t, member, 'We stop here', 'Support');
    await t.settled();
    const [group, ...none] = await proposalsTitled('We stop here');
    expect(none).toEqual([]);
    expect(group).toMatchObject({
      stage: 'group',
      status: 'closed',
      outcome: 'consensus',
      effect_applied_at: null,
    });
    expect(group?.effect_error).toContain('Concert can’t post in the Core channel');
    const failed = saidIn(CHANNELS.backbone, ':warning: We stop here reached consensus');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.text).toContain('Concert opens the Core’s proposal by itself as soon as that is fixed');

    // Ticks while it is still out: nothing opens, nobody is told again, and Slack is not asked.
    expect(t.fake.rejections).toEqual([]);
    t.fake.clearCalls();
    await fireSlot(t, 'proposals', new Date('2026-11-23T16:00:00Z'));
    expect(t.fake.callsTo('users.info')).toEqual([]);
    expect(t.fake.callsTo('chat.getPermalink')).toEqual([]);
    expect(await proposalsTitled('We stop here')).toHaveLength(1);
    expect(saidIn(CHANNELS.backbone, ':warning: We stop here reached consensus')).toHaveLength(1);

    // Invited back: the next tick opens it, and a later one finds it open. Slack fails to give the link to the
    // group's vote then: the proposal opens all the same, naming the group's decision without the link.
    await event({ type: 'member_joined_channel', channel: CHANNELS.core, user: BOT_USER_ID });
    t.fake.failNext('chat.getPermalink', { error: 'internal_error' });
    await fireSlot(t, 'proposals', new Date('2026-11-23T16:01:00Z'));
    await fireSlot(t, 'proposals', new Date('2026-11-23T16:02:00Z'));
    const [, core, ...more] = await proposalsTitled('We stop here');
    expect(more).toEqual([]);
    expect(core).toMatchObject({ stage: 'core', status: 'open', group_decision_id: group?.id });
    expect((await proposalsTitled('We stop here'))[0]).toMatchObject({ effect_error: null });
    const posted = saidIn(CHANNELS.core, 'Proposal: We stop here');
    expect(posted).toHaveLength(1);
    expect(JSON.stringify(posted[0]?.blocks)).toContain(
      '*The work group decided first:* Consensus reached in <#CFOOD>',
    );
    expect(JSON.stringify(posted[0]?.blocks)).toContain('Its vote, reasons and thread are in that channel.');
    const opened = 'Food Access: the Core’s vote on ending its partnership is open';
    expect(saidIn(CHANNELS.backbone, opened)).toHaveLength(1);
    const inThread = saidIn(CHANNELS.food, opened);
    expect(inThread).toHaveLength(1);
    expect(inThread[0]?.thread_ts).toBeTruthy();
    expect(t.fake.rejections).toEqual([]);
  });
});
