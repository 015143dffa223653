import { insertActionStep } from '../../../src/db/action-steps.js';
import { insertJoinRequest } from '../../../src/db/join-requests.js';
import { insertConcern } from '../../../src/db/proposal-texts.js';
import { amendProposal } from '../../../src/services/concerns.js';
import {
  ACTION_STEP,
  CHECKIN,
  COMMAND,
  DATA_DELETION,
  DIGEST,
  HOME,
  INDICATOR,
  JOIN,
  PROPOSAL,
  SETUP,
  SHORTCUT,
  WORK_GROUP,
} from '../../../src/views/ids.js';
import { TEAM_ID, type TestApp } from '../../harness/app.js';
import { CHANNELS, PEOPLE } from '../../harness/coalition.js';
import { type Answer, ModalForm, type SlackDriver } from '../../harness/driver.js';
import { latestProposal, propose } from '../../harness/proposals.js';

/** The eight kinds of person the matrix tries every interaction as. */
export const ROLES = [
  'backbone',
  'core',
  'representative',
  'member',
  'outsider',
  'deactivated',
  'bot',
  'other workspace',
] as const;
export type Role = (typeof ROLES)[number];

export interface Actor {
  role: Role;
  user: string;
  /** Speaks for the actor's workspace: the coalition's, or for `other workspace` another one. */
  slack: SlackDriver;
}

/** The coalition's fixed objects, made in the test's setup through the app. */
export interface World {
  foodGroupId: number;
  /** Fay's own step in Food Access (she made it), overdue. */
  stepId: number;
  /** Fay's check-in of the open round. */
  checkinId: number;
  /** Cora's check-in of the same round. */
  coraCheckinId: number;
  /** Carl's proposal, open for the Core's vote (Ben, Cora, Carl). */
  proposalId: number;
  /** A proposal closed early: the decision log's entry. */
  decidedTitle: string;
}

export interface Case {
  name: string;
  /** What the app registered that this case tries: `command:/concert`, `action:step_done`, … */
  covers: string;
  /** Who may: these roles must see the effect, every other role must cause none. */
  allowed: readonly Role[];
  /**
   * For cases whose only answer is to the actor (help, lists): what the allowed see and nobody else does.
   * Without it, the allowed must cause an effect (a row, a message, a view).
   */
  sees?: string;
  /** Per try: fresh objects the try may use up (a step to mark done, a form to submit). */
  prepare?: (t: TestApp, world: World) => Promise<unknown>;
  run: (actor: Actor, world: World, prepared: unknown) => Promise<Answer | undefined>;
}

const PERSONS: readonly Role[] = ['backbone', 'core', 'representative', 'member', 'outsider'];
const ON_MESSAGE = {
  kind: 'message' as const,
  channel: CHANNELS.general,
  ts: '1700000000.000100',
  blocks: [],
};

function click(a: Actor, actionId: string, value: string): Promise<Answer> {
  const element = { type: 'button', action_id: actionId, value, text: { type: 'plain_text', text: 'x' } };
  return a.slack.blockAction(a.user, ON_MESSAGE, { block_id: 'matrix' }, element);
}

function choose(a: Actor, actionId: string, value: string): Promise<Answer> {
  const option = { text: { type: 'plain_text', text: value }, value };
  const element = { type: 'overflow', action_id: actionId, options: [option], selected_option: option };
  return a.slack.blockAction(a.user, ON_MESSAGE, { block_id: 'matrix' }, element);
}

function command(a: Actor, name: string, text: string, channel: string = CHANNELS.general) {
  return a.slack.command(a.user, name, text, { channel });
}

/** A form opened by someone who may, submitted by the actor: Slack would not show it them, so it is forged. */
function submitAs(a: Actor, viewId: unknown, fill: (form: ModalForm) => void = () => {}): Promise<Answer> {
  const form = new ModalForm(a.slack, viewId as string);
  fill(form);
  return form.submit(a.user);
}

/** Opens a form as `opener` and returns its view id. */
async function opened(t: TestApp, opener: string, open: () => Promise<unknown>): Promise<string> {
  await open();
  await t.settled();
  return t.slack.modal(opener).viewId;
}

let made = 0;

/** A fresh open step of Fay's, due in a week, made by her, to be used up by one try. */
async function freshStep(t: TestApp): Promise<number> {
  const now = t.clock.now();
  const step = await insertActionStep(t.db, {
    team_id: TEAM_ID,
    title: `Print flyers ${++made}`,
    details: null,
    owner_id: PEOPLE.fay,
    created_by: PEOPLE.fay,
    work_group_id: null,
    due_date: '2026-12-07',
    first_due_date: '2026-12-07',
    source: 'commit',
    source_ref: null,
    permalink: null,
    created_at: now,
    updated_at: now,
  });
  return step.id;
}

/** Carl, who proposes in these cases, as an actor. */
function carlOn(t: TestApp): Actor {
  return { role: 'core', user: PEOPLE.carl, slack: t.slack };
}

/** `voter` supports proposal `id`, through the app. */
async function supportAs(t: TestApp, id: number, voter: string): Promise<void> {
  await click({ role: 'core', user: voter, slack: t.slack }, PROPOSAL.SUPPORT, String(id));
  await t.settled();
}

/** A fresh proposal of Carl's, closed early by the backbone: its outcome statement still to write. */
async function closedProposal(t: TestApp): Promise<number> {
  const id = await freshProposal(t);
  await choose({ role: 'backbone', user: PEOPLE.bea, slack: t.slack }, PROPOSAL.MORE, `close:${id}`);
  await t.settled();
  return id;
}

async function freshProposal(t: TestApp): Promise<number> {
  await propose(t, PEOPLE.carl, 'Pool the vans');
  await t.settled();
  return (await latestProposal(t)).id;
}

/** Closes, as the backbone, any open vote on ending Food Access's partnership: one may be open at a time. */
async function noOpenEnding(t: TestApp): Promise<void> {
  const open = await t.db
    .selectFrom('proposals')
    .select('id')
    .where('team_id', '=', TEAM_ID)
    .where('kind', '=', 'end_work_group')
    .where('status', '=', 'open')
    .execute();
  for (const { id } of open) {
    await choose({ role: 'backbone', user: PEOPLE.bea, slack: t.slack }, PROPOSAL.MORE, `close:${id}`);
    await t.settled();
  }
}

/** A fresh vote of Food Access's own on ending its partnership, started by Cora, its representative. */
async function groupVoteOnEnding(t: TestApp): Promise<number> {
  await noOpenEnding(t);
  await propose(t, PEOPLE.cora, `Wind down ${++made}`, 'end_work_group');
  await t.settled();
  const vote = await latestProposal(t);
  if (vote.stage !== 'group') throw new Error('ending a partnership did not start with the group’s vote');
  return vote.id;
}

const FIXED = '2026-12-09';

export const CASES: Case[] = [
  // Slash commands, one per sub-command the manifest names.
  {
    name: '/concert help',
    covers: 'command:/concert',
    allowed: [...PERSONS, 'other workspace'],
    sees: '/concert nudge',
    run: (a) => command(a, COMMAND.CONCERT, 'help'),
  },
  {
    name: '/concert setup',
    covers: 'command:/concert',
    allowed: ['backbone'],
    run: (a) => command(a, COMMAND.CONCERT, 'setup'),
  },
  {
    name: '/concert group',
    covers: 'command:/concert',
    allowed: ['backbone'],
    sees: 'Food Access',
    run: (a) => command(a, COMMAND.CONCERT, 'group'),
  },
  {
    name: '/concert group #channel',
    covers: 'command:/concert',
    allowed: ['backbone'],
    run: (a) => command(a, COMMAND.CONCERT, `group <#${CHANNELS.food}>`),
  },
  {
    name: '/concert indicators',
    covers: 'command:/concert',
    allowed: ['backbone'],
    sees: 'Add an indicator',
    run: (a) => command(a, COMMAND.CONCERT, 'indicators'),
  },
  {
    name: '/concert nudge @person',
    covers: 'command:/concert',
    allowed: ['backbone'],
    run: (a) => command(a, COMMAND.CONCERT, `nudge <@${PEOPLE.fay}>`),
  },
  {
    name: '/concert digest',
    covers: 'command:/concert',
    allowed: ['backbone'],
    sees: 'Follow-through',
    run: (a) => command(a, COMMAND.CONCERT, 'digest'),
  },
  {
    name: '/concert export',
    covers: 'command:/concert',
    allowed: ['backbone'],
    run: (a) => command(a, COMMAND.CONCERT, 'export'),
  },
  {
    name: '/concert delete-data',
    covers: 'command:/concert',
    allowed: ['backbone'],
    run: (a) => command(a, COMMAND.CONCERT, 'delete-data'),
  },
  {
    name: '/concert decisions',
    covers: 'command:/concert',
    allowed: PERSONS,
    sees: 'Shared calendar',
    run: (a) => command(a, COMMAND.CONCERT, 'decisions'),
  },
  {
    name: '/concert join',
    covers: 'command:/concert',
    allowed: PERSONS,
    run: (a) => command(a, COMMAND.CONCERT, 'join', CHANNELS.general),
  },
  {
    name: '/commit',
    covers: 'command:/commit',
    allowed: PERSONS,
    run: (a) => command(a, COMMAND.COMMIT, 'Buy crates', CHANNELS.food),
  },
  {
    name: '/commit list',
    covers: 'command:/commit',
    allowed: PERSONS,
    sees: 'open action steps',
    run: (a) => command(a, COMMAND.COMMIT, 'list'),
  },
  {
    name: '/checkin',
    covers: 'command:/checkin',
    allowed: ['representative', 'member'],
    run: (a) => command(a, COMMAND.CHECKIN, ''),
  },
  {
    name: '/checkin away until',
    covers: 'command:/checkin',
    // About oneself only: anyone may say they are away, though only work group members are asked.
    allowed: PERSONS,
    run: (a) => command(a, COMMAND.CHECKIN, 'away until 2026-12-31'),
  },
  {
    name: '/checkin back',
    covers: 'command:/checkin',
    // About oneself only: anyone may say they are away, though only work group members are asked.
    allowed: PERSONS,
    run: (a) => command(a, COMMAND.CHECKIN, 'back'),
  },
  {
    name: '/propose',
    covers: 'command:/propose',
    allowed: ['backbone', 'core', 'representative'],
    run: (a) => command(a, COMMAND.PROPOSE, 'Share a van', CHANNELS.core),
  },
  // The message shortcut.
  {
    name: 'Make an action step',
    covers: `shortcut:${SHORTCUT.MAKE_ACTION_STEP}`,
    allowed: PERSONS,
    run: (a) =>
      a.slack.messageShortcut(a.user, SHORTCUT.MAKE_ACTION_STEP, {
        channel: CHANNELS.food,
        ts: '1700000000.000200',
        text: 'Call the county',
        user: PEOPLE.fay,
      }),
  },
  // Buttons and menus, as if each person could see them.
  {
    name: 'Add a work group',
    covers: `action:${WORK_GROUP.ADD}`,
    allowed: ['backbone'],
    run: (a) => click(a, WORK_GROUP.ADD, ''),
  },
  {
    name: 'Edit a work group',
    covers: `action:${WORK_GROUP.EDIT}`,
    allowed: ['backbone'],
    run: (a, w) => click(a, WORK_GROUP.EDIT, String(w.foodGroupId)),
  },
  {
    name: 'Add an indicator',
    covers: `action:${INDICATOR.ADD}`,
    allowed: ['backbone'],
    run: (a) => click(a, INDICATOR.ADD, ''),
  },
  {
    name: 'Edit an indicator',
    covers: `action:${INDICATOR.EDIT}`,
    allowed: ['backbone'],
    run: (a) => click(a, INDICATOR.EDIT, '1'),
  },
  {
    name: 'Concert settings (App Home)',
    covers: `action:${HOME.OPEN_SETUP}`,
    allowed: ['backbone'],
    run: (a) => click(a, HOME.OPEN_SETUP, ''),
  },
  {
    name: 'Done',
    covers: `action:${ACTION_STEP.DONE}`,
    allowed: ['backbone', 'member'],
    prepare: freshStep,
    run: (a, _w, id) => click(a, ACTION_STEP.DONE, String(id)),
  },
  {
    name: 'New date',
    covers: `action:${ACTION_STEP.NEW_DATE}`,
    allowed: ['backbone', 'member'],
    run: (a, w) => click(a, ACTION_STEP.NEW_DATE, String(w.stepId)),
  },
  {
    name: 'Drop',
    covers: `action:${ACTION_STEP.DROP}`,
    allowed: ['backbone', 'member'],
    run: (a, w) => click(a, ACTION_STEP.DROP, String(w.stepId)),
  },
  {
    name: 'Need support',
    covers: `action:${ACTION_STEP.SUPPORT}`,
    allowed: ['backbone', 'member'],
    run: (a, w) => click(a, ACTION_STEP.SUPPORT, String(w.stepId)),
  },
  {
    name: 'Open (a step’s details)',
    covers: `action:${ACTION_STEP.OPEN}`,
    allowed: ['backbone', 'representative', 'member'],
    run: (a, w) => click(a, ACTION_STEP.OPEN, String(w.stepId)),
  },
  {
    name: 'Start check-in',
    covers: `action:${CHECKIN.START}`,
    allowed: ['member'],
    run: (a, w) => click(a, CHECKIN.START, String(w.checkinId)),
  },
  {
    name: 'Edit check-in',
    covers: `action:${CHECKIN.EDIT}`,
    allowed: ['member'],
    run: (a, w) => click(a, CHECKIN.EDIT, String(w.checkinId)),
  },
  {
    name: 'Check in for a group',
    covers: `action:/^${CHECKIN.START_GROUP}_\\d+$/`,
    allowed: ['representative', 'member'],
    run: (a, w) => click(a, `${CHECKIN.START_GROUP}_${w.foodGroupId}`, String(w.foodGroupId)),
  },
  {
    name: 'Post (the digest)',
    covers: `action:${DIGEST.POST}`,
    allowed: ['backbone'],
    run: (a) => click(a, DIGEST.POST, '1'),
  },
  {
    name: 'Nudge everyone overdue',
    covers: `action:${DIGEST.NUDGE_ALL}`,
    allowed: ['backbone'],
    run: (a) => click(a, DIGEST.NUDGE_ALL, '2'),
  },
  {
    name: 'Support',
    covers: `action:${PROPOSAL.SUPPORT}`,
    allowed: ['core', 'representative'],
    run: (a, w) => click(a, PROPOSAL.SUPPORT, String(w.proposalId)),
  },
  {
    name: 'Stand aside',
    covers: `action:${PROPOSAL.STAND_ASIDE}`,
    allowed: ['core', 'representative'],
    run: (a, w) => click(a, PROPOSAL.STAND_ASIDE, String(w.proposalId)),
  },
  {
    name: 'Block',
    covers: `action:${PROPOSAL.BLOCK}`,
    allowed: ['core', 'representative'],
    run: (a, w) => click(a, PROPOSAL.BLOCK, String(w.proposalId)),
  },
  {
    name: 'Add a reason (to a Support)',
    covers: `action:${PROPOSAL.SUPPORT_REASON}`,
    allowed: ['core', 'representative'],
    run: (a, w) => click(a, PROPOSAL.SUPPORT_REASON, String(w.proposalId)),
  },
  {
    name: 'Close the vote now',
    covers: `action:${PROPOSAL.MORE}`,
    allowed: ['backbone'],
    prepare: freshProposal,
    run: (a, _w, id) => choose(a, PROPOSAL.MORE, `close:${id}`),
  },
  {
    // Ending a partnership is the work group's own decision first: only its members vote, in its channel.
    name: 'Support (a work group’s own vote on ending its partnership)',
    covers: `action:${PROPOSAL.SUPPORT}`,
    allowed: ['representative', 'member'],
    prepare: groupVoteOnEnding,
    run: (a, _w, id) => click(a, PROPOSAL.SUPPORT, String(id)),
  },
  {
    name: 'Raise a concern (a work group’s own vote)',
    covers: `action:${PROPOSAL.MORE}`,
    allowed: ['representative', 'member'],
    prepare: groupVoteOnEnding,
    run: (a, _w, id) => choose(a, PROPOSAL.MORE, `concern:${id}`),
  },
  {
    name: 'Withdraw (Carl’s proposal)',
    covers: `action:${PROPOSAL.MORE}`,
    allowed: ['core'],
    prepare: freshProposal,
    run: (a, _w, id) => choose(a, PROPOSAL.MORE, `withdraw:${id}`),
  },
  {
    name: 'Skip this week (Cora’s)',
    covers: `action:${CHECKIN.SKIP}`,
    allowed: ['representative'],
    run: (a, w) => click(a, CHECKIN.SKIP, String(w.coraCheckinId)),
  },
  // Forms, each opened by someone who may and submitted by the actor.
  {
    name: 'Setup form',
    covers: `view:${SETUP.CALLBACK}`,
    allowed: ['backbone'],
    prepare: (t) =>
      opened(t, PEOPLE.bea, () =>
        t.slack.command(PEOPLE.bea, COMMAND.CONCERT, 'setup', { channel: CHANNELS.backbone }),
      ),
    run: (a, _w, view) => submitAs(a, view, (f) => f.radio('Public records', 'Also name who voted how')),
  },
  {
    // Typed wrong by everyone, so the coalition stays for the cases after it: the backbone is asked for the
    // name again, everyone else refused (the deletion itself is in lifecycle/data-deletion.test.ts).
    name: 'Delete all data form',
    covers: `view:${DATA_DELETION.CALLBACK}`,
    allowed: ['backbone'],
    sees: 'to confirm. Nothing was deleted.',
    prepare: (t) =>
      opened(t, PEOPLE.bea, () =>
        t.slack.command(PEOPLE.bea, COMMAND.CONCERT, 'delete-data', { channel: CHANNELS.backbone }),
      ),
    run: (a, _w, view) =>
      submitAs(a, view, (f) => {
        const confirm = f.labels().find((label) => label.startsWith('Type the workspace’s name')) ?? '';
        f.fill(confirm, 'Not its name');
      }),
  },
  {
    name: 'Work group form',
    covers: `view:${WORK_GROUP.CALLBACK}`,
    allowed: ['backbone'],
    prepare: (t) =>
      opened(t, PEOPLE.bea, () =>
        t.slack.command(PEOPLE.bea, COMMAND.CONCERT, `group <#${CHANNELS.housing}>`, {
          channel: CHANNELS.backbone,
        }),
      ),
    run: (a, _w, view) => submitAs(a, view, (f) => f.fill('Name', 'Housing')),
  },
  {
    name: 'Indicator form',
    covers: `view:${INDICATOR.CALLBACK}`,
    allowed: ['backbone'],
    prepare: (t) =>
      opened(t, PEOPLE.bea, () =>
        t.slack
          .command(PEOPLE.bea, COMMAND.CONCERT, 'indicators', { channel: CHANNELS.backbone })
          .then(() => t.slack.clickButton(PEOPLE.bea, 'Add an indicator')),
      ),
    run: (a, _w, view) =>
      submitAs(a, view, (f) =>
        f
          .fill('Name', `Meals served ${++made}`)
          .fill('Unit', 'meals')
          .selectMany('Reported by', ['Food Access']),
      ),
  },
  {
    name: 'Action step form',
    covers: `view:${ACTION_STEP.CALLBACK}`,
    allowed: PERSONS,
    prepare: (t) =>
      opened(t, PEOPLE.fay, () =>
        t.slack.command(PEOPLE.fay, COMMAND.COMMIT, `Book the hall ${++made}`, { channel: CHANNELS.food }),
      ),
    run: (a, _w, view) => submitAs(a, view, (f) => f.date('Done by', FIXED)),
  },
  {
    // Opened by someone in no work group, so it names none: nothing of this workspace's is needed to save it.
    name: 'Action step form (no work group)',
    covers: `view:${ACTION_STEP.CALLBACK}`,
    allowed: PERSONS,
    prepare: (t) =>
      opened(t, PEOPLE.nobody, () => t.slack.command(PEOPLE.nobody, COMMAND.COMMIT, `Rent a van ${++made}`)),
    run: (a, _w, view) => submitAs(a, view, (f) => f.date('Done by', FIXED)),
  },
  {
    name: 'New date form',
    covers: `view:${ACTION_STEP.NEW_DATE_CALLBACK}`,
    allowed: ['backbone', 'member'],
    prepare: async (t) =>
      opened(t, PEOPLE.fay, async () =>
        t.slack.blockAction(
          PEOPLE.fay,
          ON_MESSAGE,
          { block_id: 'm' },
          { type: 'button', action_id: ACTION_STEP.NEW_DATE, value: String(await freshStep(t)) },
        ),
      ),
    run: (a, _w, view) =>
      submitAs(a, view, (f) => f.date('New date', FIXED).fill('Why the date is changing', 'The hall moved')),
  },
  {
    name: 'Drop form',
    covers: `view:${ACTION_STEP.DROP_CALLBACK}`,
    allowed: ['backbone', 'member'],
    prepare: async (t) =>
      opened(t, PEOPLE.fay, async () =>
        t.slack.blockAction(
          PEOPLE.fay,
          ON_MESSAGE,
          { block_id: 'm' },
          { type: 'button', action_id: ACTION_STEP.DROP, value: String(await freshStep(t)) },
        ),
      ),
    run: (a, _w, view) => submitAs(a, view, (f) => f.fill('Why it is being dropped', 'No longer needed')),
  },
  {
    name: 'Need support form',
    covers: `view:${ACTION_STEP.SUPPORT_CALLBACK}`,
    allowed: ['backbone', 'member'],
    prepare: async (t) =>
      opened(t, PEOPLE.fay, async () =>
        t.slack.blockAction(
          PEOPLE.fay,
          ON_MESSAGE,
          { block_id: 'm' },
          { type: 'button', action_id: ACTION_STEP.SUPPORT, value: String(await freshStep(t)) },
        ),
      ),
    run: (a, _w, view) => submitAs(a, view, (f) => f.fill('What help would move this forward', 'A van')),
  },
  {
    name: 'Check-in form',
    covers: `view:${CHECKIN.CALLBACK}`,
    allowed: ['member'],
    prepare: (t, w) =>
      opened(t, PEOPLE.fay, () =>
        t.slack.blockAction(
          PEOPLE.fay,
          ON_MESSAGE,
          { block_id: 'm' },
          { type: 'button', action_id: CHECKIN.START, value: String(w.checkinId) },
        ),
      ),
    run: (a, _w, view) =>
      submitAs(a, view, (f) => {
        f.fill('Intention', 'Feed more families').radio('Progress toward the intention', '🟢 On track');
        for (const block of f.view.blocks) {
          if (String(block.block_id).startsWith(CHECKIN.STEP_STATUS.block))
            f.select(block.label.text, 'In progress');
        }
      }),
  },
  {
    name: 'Raise a concern (menu)',
    covers: `action:${PROPOSAL.MORE}`,
    allowed: ['core', 'representative'],
    run: (a, w) => choose(a, PROPOSAL.MORE, `concern:${w.proposalId}`),
  },
  {
    name: 'Amend the text (menu, Carl’s proposal)',
    covers: `action:${PROPOSAL.MORE}`,
    allowed: ['backbone', 'core'],
    run: (a, w) => choose(a, PROPOSAL.MORE, `amend:${w.proposalId}`),
  },
  {
    name: 'Extend the deadline (menu, Carl’s proposal)',
    covers: `action:${PROPOSAL.MORE}`,
    allowed: ['backbone', 'core'],
    run: (a, w) => choose(a, PROPOSAL.MORE, `extend:${w.proposalId}`),
  },
  {
    name: 'Outcome statement (Carl’s closed proposal)',
    covers: `action:${PROPOSAL.WRITE_STATEMENT}`,
    allowed: ['backbone', 'core'],
    prepare: closedProposal,
    run: (a, _w, id) => click(a, PROPOSAL.WRITE_STATEMENT, String(id)),
  },
  {
    name: 'Propose adding this group (a request to join)',
    covers: `action:${JOIN.PROPOSE}`,
    allowed: ['backbone'],
    prepare: async (t) =>
      (
        await insertJoinRequest(t.db, {
          team_id: TEAM_ID,
          group_name: `Housing ${++made}`,
          channel_id: CHANNELS.housing,
          purpose: 'Tenant organizing',
          contact_id: PEOPLE.hal,
          requested_by: PEOPLE.hal,
          requested_at: t.clock.now(),
          view_id: null,
        })
      )?.id,
    run: (a, _w, id) => click(a, JOIN.PROPOSE, String(id)),
  },
  {
    name: 'Earlier texts',
    covers: `action:${PROPOSAL.EARLIER_TEXTS}`,
    allowed: ['backbone', 'core', 'representative'],
    run: (a, w) => click(a, PROPOSAL.EARLIER_TEXTS, String(w.proposalId)),
  },
  {
    name: 'Mark resolved (Cora’s concern)',
    covers: `action:${PROPOSAL.RESOLVE_CONCERN}`,
    allowed: ['representative'],
    prepare: async (t, w) => {
      const concern = await insertConcern(t.db, {
        team_id: TEAM_ID,
        proposal_id: w.proposalId,
        raised_by: PEOPLE.cora,
        text: `Too soon ${++made}`,
        text_version: 1,
        raised_at: t.clock.now(),
        view_id: null,
      });
      return concern?.id;
    },
    run: (a, _w, id) => click(a, PROPOSAL.RESOLVE_CONCERN, String(id)),
  },
  {
    name: 'Keep my position (after an amendment)',
    covers: `action:${PROPOSAL.KEEP_POSITION}`,
    allowed: ['core', 'representative'],
    prepare: async (t) => {
      const id = await freshProposal(t);
      for (const voter of [PEOPLE.carl, PEOPLE.cora]) await supportAs(t, id, voter);
      await amendProposal(
        t.db,
        {
          teamId: TEAM_ID,
          proposalId: id,
          userId: PEOPLE.carl,
          fromVersion: 1,
          title: 'Pool the vans',
          details: 'On Fridays only.',
          note: null,
        },
        t.clock.now(),
      );
      return id;
    },
    run: (a, _w, id) => click(a, PROPOSAL.KEEP_POSITION, String(id)),
  },
  {
    name: 'Proposal kind form',
    covers: `view:${PROPOSAL.KIND_CALLBACK}`,
    allowed: ['core', 'representative'],
    prepare: (t) =>
      opened(t, PEOPLE.carl, () =>
        t.slack.command(PEOPLE.carl, COMMAND.PROPOSE, 'Share a van', { channel: CHANNELS.core }),
      ),
    run: (a, _w, view) => submitAs(a, view, (f) => f.radio('Kind of proposal', 'other')),
  },
  {
    name: 'Proposal form',
    covers: `view:${PROPOSAL.CALLBACK}`,
    allowed: ['core', 'representative'],
    prepare: async (t) => {
      const first = await opened(t, PEOPLE.carl, () =>
        t.slack.command(PEOPLE.carl, COMMAND.PROPOSE, 'Share a van', { channel: CHANNELS.core }),
      );
      await new ModalForm(t.slack, first).radio('Kind of proposal', 'other').submit(PEOPLE.carl);
      return t.slack.modal(PEOPLE.carl).viewId;
    },
    run: (a, _w, view) => submitAs(a, view),
  },
  {
    name: 'Proposal form (ending a partnership)',
    covers: `view:${PROPOSAL.CALLBACK}`,
    allowed: ['representative'],
    prepare: async (t) => {
      await noOpenEnding(t);
      const first = await opened(t, PEOPLE.cora, () =>
        t.slack.command(PEOPLE.cora, COMMAND.PROPOSE, 'Wind down', { channel: CHANNELS.core }),
      );
      await new ModalForm(t.slack, first).radio('Kind of proposal', 'end_work_group').submit(PEOPLE.cora);
      return t.slack.modal(PEOPLE.cora).viewId;
    },
    run: (a, _w, view) => submitAs(a, view),
  },
  {
    name: 'Vote reason form',
    covers: `view:${PROPOSAL.VOTE_CALLBACK}`,
    allowed: ['core', 'representative'],
    prepare: (t, w) =>
      opened(t, PEOPLE.ben, () =>
        t.slack.blockAction(
          PEOPLE.ben,
          ON_MESSAGE,
          { block_id: 'm' },
          { type: 'button', action_id: PROPOSAL.BLOCK, value: String(w.proposalId) },
        ),
      ),
    run: (a, _w, view) =>
      submitAs(a, view, (f) =>
        f.radio('Which shared commitment would it break?', 'common_agenda').fill('Your reason', 'Not yet'),
      ),
  },
  {
    name: 'Concern form',
    covers: `view:${PROPOSAL.CONCERN_CALLBACK}`,
    allowed: ['core', 'representative'],
    prepare: (t, w) =>
      opened(t, PEOPLE.carl, () => choose(carlOn(t), PROPOSAL.MORE, `concern:${w.proposalId}`)),
    run: (a, _w, view) => submitAs(a, view, (f) => f.fill('Your concern', 'Too soon')),
  },
  {
    name: 'Extension form',
    covers: `view:${PROPOSAL.EXTEND_CALLBACK}`,
    allowed: ['backbone', 'core'],
    prepare: async (t) => {
      const id = await freshProposal(t);
      return opened(t, PEOPLE.carl, () => choose(carlOn(t), PROPOSAL.MORE, `extend:${id}`));
    },
    run: (a, _w, view) => submitAs(a, view),
  },
  {
    name: 'Outcome statement form',
    covers: `view:${PROPOSAL.STATEMENT_CALLBACK}`,
    allowed: ['backbone', 'core'],
    prepare: async (t) => {
      const id = await closedProposal(t);
      return opened(t, PEOPLE.carl, () => click(carlOn(t), PROPOSAL.WRITE_STATEMENT, String(id)));
    },
    run: (a, _w, view) => submitAs(a, view, (f) => f.fill('What was decided', 'Pool them on Fridays.')),
  },
  {
    name: 'Join request form',
    covers: `view:${JOIN.CALLBACK}`,
    allowed: PERSONS,
    prepare: (t) =>
      opened(t, PEOPLE.hal, () =>
        t.slack.command(PEOPLE.hal, COMMAND.CONCERT, 'join', { channel: CHANNELS.general }),
      ),
    run: (a, _w, view) =>
      submitAs(a, view, (f) =>
        f
          .fill('Group name', 'Neighbors')
          .fill('Purpose', 'Block clubs')
          .check('The coalition’s expectations', ['willing']),
      ),
  },
  {
    name: 'Amendment form',
    covers: `view:${PROPOSAL.AMEND_CALLBACK}`,
    allowed: ['backbone', 'core'],
    prepare: async (t) => {
      const id = await freshProposal(t);
      return opened(t, PEOPLE.carl, () => choose(carlOn(t), PROPOSAL.MORE, `amend:${id}`));
    },
    run: (a, _w, view) => submitAs(a, view, (f) => f.fill('Details', 'On Fridays only.')),
  },
  // The App Home: everyone has one; only the backbone's shows the backbone's dashboard.
  {
    name: 'App Home',
    covers: 'event:app_home_opened',
    allowed: ['backbone'],
    sees: 'Post the digest',
    run: (a) => a.slack.event({ type: 'app_home_opened', user: a.user, tab: 'home', channel: 'DHOME' }),
  },
];
