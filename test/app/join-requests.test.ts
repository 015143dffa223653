import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestApp } from '../harness/app.js';
import { CHANNELS, PEOPLE, startCoalition } from '../harness/coalition.js';
import type { ModalForm } from '../harness/driver.js';
import { latestProposal, proposalPost, propose } from '../harness/proposals.js';

// Adding a work group starts with interest: a group asks to join, willing to meet the coalition's
// expectations; the backbone opens the "add work group" proposal from it, prefilled. A proposal to change
// the backbone records which of the charter's triggers applies.

let t: TestApp;

beforeAll(async () => {
  t = await startCoalition({ liveTallyIntervalMs: 20 });
});
afterAll(() => t.stop());
beforeEach(() => {
  t.clock.set('2026-11-23T15:00:00Z');
  t.fake.clearCalls();
});

const PURPOSE = 'Tenant organizing in the east side; we serve the common agenda on housing stability.';

describe('a request to join', () => {
  it('from a channel that is already a work group is refused in words, and nothing is kept', async () => {
    await t.slack.command(PEOPLE.fay, '/concert', 'join', { channel: CHANNELS.food });
    const form = t.slack.modal(PEOPLE.fay);
    expect(form.value('The group’s channel').selected_conversation).toBe(CHANNELS.food);
    form
      .fill('Group name', 'Food Again')
      .fill('Purpose', PURPOSE)
      .check('The coalition’s expectations', ['willing']);
    expect(t.slack.fieldErrors(await form.submit(PEOPLE.fay))).toEqual({
      'The group’s channel':
        'That channel is already the work group “Food Access”: it is part of the coalition. Choose the new group’s own channel.',
    });
    expect(await t.db.selectFrom('join_requests').selectAll().execute()).toEqual([]);
    expect(t.fake.messages(CHANNELS.backbone).filter((m) => m.text.includes('wants to join'))).toEqual([]);
  });

  it('reaches the backbone, whose button opens the add-work-group proposal prefilled and linked', async () => {
    await t.slack.command(PEOPLE.hal, '/concert', 'join', { channel: CHANNELS.housing });
    const form = t.slack.modal(PEOPLE.hal).fill('Group name', 'Housing').fill('Purpose', PURPOSE);
    // Joining means meeting the coalition's expectations: the form says so until it is ticked.
    expect(Object.keys(t.slack.fieldErrors(await form.submit(PEOPLE.hal)))).toEqual([
      'The coalition’s expectations',
    ]);
    form.check('The coalition’s expectations', ['willing']);
    await Promise.all([form.submit(PEOPLE.hal), form.submit(PEOPLE.hal)]);
    await t.settled();
    const requests = await t.db.selectFrom('join_requests').selectAll().execute();
    expect(requests).toMatchObject([
      {
        group_name: 'Housing',
        channel_id: CHANNELS.housing,
        contact_id: PEOPLE.hal,
        requested_by: PEOPLE.hal,
      },
    ]);
    const asked = t.fake
      .messages(CHANNELS.backbone)
      .filter((m) => m.text === 'Housing wants to join the coalition');
    expect(asked).toHaveLength(1);

    // Only the backbone proposes adding a work group: Carl, who cannot see it, is told so if he clicks.
    const { surface, block, element } = t.slack.findButton(PEOPLE.bea, 'Propose adding this group', {
      channel: CHANNELS.backbone,
    });
    const views = t.fake.views().length;
    await t.slack.blockAction(PEOPLE.carl, surface, block, element);
    expect(t.fake.views()).toHaveLength(views);
    expect(t.fake.ephemerals(PEOPLE.carl).at(-1)?.text).toBe(
      `Only members of the backbone channel <#${CHANNELS.backbone}> can propose adding a work group. Ask one of them to propose it.`,
    );
    await t.slack.clickButton(PEOPLE.bea, 'Propose adding this group', { channel: CHANNELS.backbone });
    const proposal = t.slack.modal(PEOPLE.bea);
    expect(proposal.value('Title').value).toBe('Add Housing as a work group');
    expect(proposal.value('New work group’s name').value).toBe('Housing');
    expect(proposal.value('Its channel').selected_conversation).toBe(CHANNELS.housing);
    expect(proposal.value('Details').value).toBe(PURPOSE);
    expect((await proposal.submit(PEOPLE.bea)).body).toBe('');
    await t.settled();
    expect(await latestProposal(t)).toMatchObject({
      kind: 'add_work_group',
      proposer_id: PEOPLE.bea,
      payload: { groupName: 'Housing', groupChannelId: CHANNELS.housing, joinRequestId: requests[0]?.id },
    });
    expect(JSON.stringify(proposalPost(t, 'Add Housing as a work group').blocks)).toContain(
      'The group asked to join and said it is willing to meet the coalition’s expectations.',
    );
    expect(t.fake.rejections).toEqual([]);
  });
});

describe('a proposal to change the backbone', () => {
  it('records which of the charter’s triggers applies', async () => {
    let form: ModalForm | undefined;
    const answer = await propose(t, PEOPLE.carl, 'A new backbone', 'change_backbone', (f) => {
      form = f.pick('New backbone channel', CHANNELS.general);
    });
    expect(t.slack.fieldErrors(answer)).toEqual({
      'Which of the charter’s reasons applies?':
        'Choose which of the charter’s reasons for changing the backbone applies.',
    });
    form?.radio('Which of the charter’s reasons applies?', 'not_meeting_expectations');
    expect((await form?.submit(PEOPLE.carl))?.body).toBe('');
    await t.settled();
    expect((await latestProposal(t)).payload).toEqual({
      backboneChannelId: CHANNELS.general,
      backboneTrigger: 'not_meeting_expectations',
    });
    expect(JSON.stringify(proposalPost(t, 'A new backbone').blocks)).toContain(
      'The charter’s reason: the backbone is not meeting the coalition’s expectations.',
    );
    expect(t.fake.rejections).toEqual([]);
  });
});
