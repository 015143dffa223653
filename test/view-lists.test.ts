import { describe, expect, it } from 'vitest';
import type { ActionStep, ActionStepEvent, Checkin, Proposal, Vote, WorkGroup } from '../src/db/schema.js';
import { checkBlocks, checkMessage, checkView } from '../src/sandbox/emulator/block-kit.js';
import type { ProposalState } from '../src/services/proposals.js';
import { stepDetailsModal } from '../src/views/action-steps.js';
import { reportMessage, summaryMessage } from '../src/views/checkins.js';
import { proposalMessage } from '../src/views/proposals.js';

// Lists as long as a large coalition makes them: every name shown, each block within Slack's limits, and
// where something must be left out, a line that says how much and where to find it.

// biome-ignore lint/suspicious/noExplicitAny: blocks are read as Slack reads them
type Json = any;

const ids = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(5, '0')}`);
const texts = (blocks: Json[]) => blocks.map((b) => b.text?.text ?? b.elements?.[0]?.text ?? '').join('\n');

const group = { id: 1, name: 'Food & <Access>', channel_id: 'CFOOD' } as WorkGroup;

describe('a round’s summary in a channel of 900 members', () => {
  it('names every one, in sections that each fit', () => {
    const members = ids(900, 'U');
    const checkins = members.map(
      (user_id, i) =>
        ({
          user_id,
          status: ['answered', 'skipped', 'missed', 'away'][i % 4],
          assessment: 'on_track',
        }) as Checkin,
    );
    const message = summaryMessage({ group, roundDate: '2026-11-30', checkins });
    expect(checkMessage(message)).toEqual([]);
    const shown = texts(message.blocks);
    for (const user of members) expect(shown).toContain(`<@${user}>`);
    expect(shown).not.toMatch(/and \d+ more/);
    expect(message.text).toContain('Food &amp; &lt;Access&gt;');
  });
});

describe('a proposal before a Core of 600', () => {
  it('names every voter in the tally', () => {
    const voters = ids(600, 'UV');
    const votes = voters.map(
      (voter_id, i) => ({ voter_id, position: i % 3 === 0 ? 'block' : 'support' }) as Vote,
    );
    const proposal = {
      id: 7,
      title: 'Share <!here> the intake form',
      kind: 'other',
      status: 'open',
      proposer_id: 'UP',
      details: null,
      closes_at: new Date('2026-12-10T15:00:00Z'),
      payload: {},
    } as unknown as Proposal;
    const state: ProposalState = {
      proposal,
      voters,
      votes,
      workGroup: undefined,
      concerns: [],
      earlierTexts: [],
      extensions: [],
      groupDecision: undefined,
      statement: undefined,
    };
    const message = proposalMessage(state, 400);
    expect(checkMessage(message)).toEqual([]);
    const shown = texts(message.blocks);
    for (const voter of voters) expect(shown).toContain(`<@${voter}>`);
    expect((message.blocks[0] as Json)?.text?.text).toContain('*Share &lt;!here&gt; the intake form*');
    expect(message.blocks.at(-1)?.type).toBe('actions');
  });
});

describe('a report longer than one message can hold', () => {
  it('keeps within 50 blocks and says where the rest is', () => {
    const note = '&'.repeat(1000);
    const updates = Array.from({ length: 25 }, (_, i) => ({
      action_step_id: i,
      status: 'in_progress',
      new_due_date: null,
      note,
      title: `<Step> ${i}`,
    }));
    const checkin = {
      user_id: 'UFAY',
      assessment: 'at_risk',
      intention: '<'.repeat(3000),
      actions_taken: '>'.repeat(3000),
      assessment_note: '&'.repeat(1000),
      support_needed: '&'.repeat(2000),
      late: false,
    } as unknown as Checkin;
    const message = reportMessage({ checkin, updates: updates as never, created: [] });
    expect(checkMessage(message)).toEqual([]);
    expect(message.blocks).toHaveLength(50);
    expect((message.blocks.at(-1) as Json)?.elements?.[0]?.text).toMatch(
      /^…and \d+ more parts of this report, too long for one message: the backbone’s `\/concert export` has it whole\.$/,
    );
  });
});

describe('the details of a step nudged many times', () => {
  it('shows its last 20 changes and says how many there are', () => {
    const step = {
      id: 3,
      title: 'Book the van',
      owner_id: 'UHAL',
      status: 'open',
      due_date: '2026-12-01',
      details: 'x'.repeat(3000),
      permalink: null,
    } as unknown as ActionStep;
    const events = Array.from(
      { length: 25 },
      (_, i) =>
        ({
          kind: i === 0 ? 'created' : 'nudged',
          actor_id: 'UBEA',
          at: new Date(`2026-11-${String(i + 1).padStart(2, '0')}T15:00:00Z`),
          note: i === 24 ? '&'.repeat(1000) : null,
        }) as ActionStepEvent,
    );
    const view = stepDetailsModal(step, events, '2026-11-30', 'America/New_York');
    expect(checkView(view)).toEqual([]);
    expect(texts(view.blocks)).toContain(
      'The last 20 of 25 changes. All of them are in the backbone’s `/concert export`.',
    );
    // The details whole, past the 300 characters the nudges preview.
    expect(texts(view.blocks)).toContain('x'.repeat(2900));
  });
});

describe('the fake Slack’s check of option groups', () => {
  const option = (i: number) => ({ text: { type: 'plain_text', text: `Choice ${i}` }, value: String(i) });
  const select = (groups: Json[]) => [
    {
      type: 'input',
      label: { type: 'plain_text', text: 'Choose' },
      element: { type: 'static_select', action_id: 'a', option_groups: groups },
    },
  ];
  const groupOf = (from: number, count: number, label = `From ${from}`) => ({
    label: { type: 'plain_text', text: label },
    options: Array.from({ length: count }, (_, i) => option(from + i)),
  });

  it('takes up to 100 groups of up to 100 options', () => {
    expect(checkBlocks(select([groupOf(0, 100), groupOf(100, 100)]), 'modal')).toEqual([]);
  });

  it('refuses what Slack refuses: too many options or groups, a long label, a value twice', () => {
    expect(checkBlocks(select([groupOf(0, 101)]), 'modal')).toEqual([
      'blocks[0].element.option_groups[0].options: 101 options, more than 100',
    ]);
    expect(checkBlocks(select(Array.from({ length: 101 }, (_, i) => groupOf(i, 1))), 'modal')).toEqual([
      'blocks[0].element.option_groups: 101 option groups, more than 100',
    ]);
    expect(checkBlocks(select([groupOf(0, 1, 'x'.repeat(76))]), 'modal')).toEqual([
      'blocks[0].element.option_groups[0].label: 76 characters, more than 75',
    ]);
    expect(checkBlocks(select([groupOf(0, 2), groupOf(1, 2)]), 'modal')).toEqual([
      'blocks[0].element.option_groups[1].options[0].value: duplicate 1',
    ]);
  });
});
