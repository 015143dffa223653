import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestApp } from '../harness/app.js';
import { CHANNELS, PEOPLE, startCoalition } from '../harness/coalition.js';
import {
  latestProposal,
  proposalPost,
  propose,
  tallyOf,
  threadOf,
  vote,
  voteWithReason,
} from '../harness/proposals.js';
import { fireSlot } from '../harness/scheduler.js';

let t: TestApp;

beforeAll(async () => {
  t = await startCoalition();
});
afterAll(() => t.stop());
beforeEach(() => {
  // Monday 23 November 2026, 10:00 in New York.
  t.clock.set('2026-11-23T15:00:00Z');
  t.fake.clearCalls();
});

describe('a proposal from /propose to its outcome', () => {
  it('is posted in the Core channel, voted on, and closed at its deadline with the outcome in its thread', async () => {
    const answer = await propose(t, PEOPLE.carl, 'Adopt the shared intake form', 'other', (form) => {
      expect(form.value('Title').value).toBe('Adopt the shared intake form');
      // A week on, in Carl's own time zone (Denver), at the next quarter hour.
      expect(form.value('Voting closes on').selected_date).toBe('2026-11-30');
      expect(form.value('at').selected_time).toBe('08:00');
      form.fill('Details', 'Every partner uses one intake form from January.');
    });
    expect(answer.body).toBe('');
    const proposal = await latestProposal(t);
    expect(proposal).toMatchObject({
      kind: 'other',
      proposer_id: PEOPLE.carl,
      status: 'open',
      quorum: '2/3',
      stand_aside_limit: '1/3',
      closes_at: new Date('2026-11-30T15:00:00Z'),
    });
    const voters = await t.db
      .selectFrom('proposal_voters')
      .select('user_id')
      .where('proposal_id', '=', proposal.id)
      .execute();
    // The Core's people when it opened; never the other app's bot in the channel.
    expect(voters.map((v) => v.user_id).sort()).toEqual([PEOPLE.ben, PEOPLE.carl, PEOPLE.cora].sort());

    const post = proposalPost(t, 'Adopt the shared intake form');
    const shown = JSON.stringify(post.blocks);
    expect(shown).toContain(`proposed by <@${PEOPLE.carl}>`);
    expect(shown).toContain('Every partner uses one intake form from January.');
    expect(shown).toContain(
      `<!date^${Date.parse('2026-11-30T15:00:00Z') / 1000}^{date_short_pretty} at {time}|2026-11-30 15:00 UTC>`,
    );
    expect(t.fake.rejections).toEqual([]);
    expect(t.fake.ephemerals(PEOPLE.carl).at(-1)?.text).toBe(
      `Your proposal *Adopt the shared intake form* is in <#${CHANNELS.core}> for the Core’s vote.`,
    );

    expect((await vote(t, PEOPLE.cora, 'Support')).status).toBe(200);
    expect((await voteWithReason(t, PEOPLE.ben, 'Stand aside', 'We have not read it yet')).body).toBe('');
    expect(tallyOf(t, 'Adopt the shared intake form')).toBe(
      [
        `*Support* (1): <@${PEOPLE.cora}>`,
        `*Stand aside* (1): <@${PEOPLE.ben}>`,
        '*Block* (0)',
        'Not yet voted: 1 of 3',
      ].join('\n'),
    );

    // Nothing happens before the deadline; at it, the vote closes once.
    await fireSlot(t, 'proposals', new Date('2026-11-30T14:59:00Z'));
    expect((await latestProposal(t)).status).toBe('open');
    await fireSlot(t, 'proposals', new Date('2026-11-30T15:00:00Z'));
    await fireSlot(t, 'proposals', new Date('2026-11-30T15:01:00Z'));
    expect(await latestProposal(t)).toMatchObject({
      status: 'closed',
      outcome: 'no_consensus',
      close_reason: 'deadline',
    });

    const final = proposalPost(t, 'Adopt the shared intake form');
    expect(final.blocks?.some((b) => b.type === 'actions')).toBe(false);
    expect(JSON.stringify(final.blocks)).toContain('*No consensus* — closed at its deadline.');
    const thread = threadOf(t, 'Adopt the shared intake form');
    expect(thread).toHaveLength(1);
    expect(thread[0]?.blocks?.[0]?.text?.text).toBe(
      [
        '*No consensus* on *Adopt the shared intake form*. Too many stood aside: more than 1/3 of the votes cast.',
        '2 of 3 eligible voted (2 needed): 1 support, 1 stand aside, 0 block.',
        `*Stand asides*\n• <@${PEOPLE.ben}>: We have not read it yet`,
      ].join('\n\n'),
    );
    expect(t.fake.rejections).toEqual([]);
  });
});
