import { expect } from 'vitest';
import type { TestApp } from './app.js';
import { CHANNELS } from './coalition.js';
import type { ModalForm } from './driver.js';
import { jobFor } from './scheduler.js';

/** `/propose` through both forms, as a person would: the kind first, then the proposal. */
export async function propose(
  t: TestApp,
  user: string,
  title: string,
  kind: 'add_work_group' | 'end_work_group' | 'change_backbone' | 'other' = 'other',
  fill: (form: ModalForm) => void = () => {},
) {
  await t.slack.command(user, '/propose', title, { channel: CHANNELS.core });
  const first = t.slack.modal(user);
  first.radio('Kind of proposal', kind);
  const next = await first.submit(user);
  expect(next.body.response_action).toBe('update');
  const form = t.slack.modal(user);
  fill(form);
  return form.submit(user);
}

/** The newest proposal's row. */
export async function latestProposal(t: TestApp) {
  return t.db.selectFrom('proposals').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
}

/** The message that put a proposal to the Core, as it stands in the Core channel now. */
export function proposalPost(t: TestApp, title: string) {
  const post = t.fake
    .messages(CHANNELS.core)
    .find((m) => !m.thread_ts && m.text.startsWith(`Proposal: ${title}`));
  if (!post) throw new Error(`no proposal “${title}” in the Core channel`);
  return post;
}

/** The proposal's tally section, as Slack shows it. */
export function tallyOf(t: TestApp, title: string): string {
  const block = proposalPost(t, title).blocks?.find((b) =>
    String(b.block_id ?? '').startsWith('proposal_tally_'),
  );
  return block?.text?.text ?? '';
}

/** Replies in the proposal message's thread. */
export function threadOf(t: TestApp, title: string) {
  const post = proposalPost(t, title);
  return t.fake.messages(CHANNELS.core).filter((m) => m.thread_ts === post.ts);
}

/** A click on one of the proposal message's buttons in the Core channel. */
export function vote(
  t: TestApp,
  user: string,
  button: 'Support' | 'Stand aside' | 'Block',
  options: { triggerId?: string; retryNum?: number } = {},
) {
  return t.slack.clickButton(user, button, { in: 'message', channel: CHANNELS.core, ...options });
}

/** Stand aside or Block with a reason, through the form the button opens. */
export async function voteWithReason(
  t: TestApp,
  user: string,
  button: 'Stand aside' | 'Block',
  reason: string,
  ground: 'common_agenda' | 'accountabilities' | 'other' = 'common_agenda',
) {
  await vote(t, user, button);
  const form = t.slack.modal(user);
  if (button === 'Block') form.radio('Which shared commitment would it break?', ground);
  form.fill('Your reason', reason);
  return form.submit(user);
}

/** Makes the Core channel exactly these people (adding any Slack does not know yet), as the daily reconcile reads it. */
export async function setCore(t: TestApp, userIds: readonly string[]): Promise<void> {
  for (const id of userIds) {
    if (!t.fake.users.has(id)) t.fake.addUser({ id, name: id.toLowerCase(), tz: 'America/New_York' });
  }
  t.fake.setMembers(CHANNELS.core, [...userIds, t.fake.botUserId]);
  await jobFor(t, 'reconcile-memberships').run(t.clock.now());
}

/** Voters named UV01, UV02, … */
export function voterIds(count: number, prefix = 'UV'): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(2, '0')}`);
}

// biome-ignore lint/suspicious/noExplicitAny: blocks are arbitrary JSON
type Json = any;

/** A work group's own vote (on ending its partnership), as it stands in the group's channel now. */
export function groupPost(t: TestApp, title: string, channel: string = CHANNELS.food) {
  const post = t.fake.messages(channel).find((m) => !m.thread_ts && m.text.startsWith(`Proposal: ${title}`));
  if (!post) throw new Error(`no proposal “${title}” in ${channel}`);
  return post;
}

/** A click on one of the group vote's buttons, on its own message in the group's channel. */
export function groupVote(
  t: TestApp,
  user: string,
  title: string,
  button: 'Support' | 'Stand aside' | 'Block',
  channel: string = CHANNELS.food,
) {
  const post = groupPost(t, title, channel);
  const block = (post.blocks ?? []).find(
    (b: Json) => b.type === 'actions' && b.elements.some((e: Json) => e.text?.text === button),
  );
  if (!block) throw new Error(`the group’s vote “${title}” has no button “${button}”`);
  const element = block.elements.find((e: Json) => e.text?.text === button);
  return t.slack.blockAction(
    user,
    { kind: 'message', channel, ts: post.ts, blocks: post.blocks ?? [] },
    block,
    element,
  );
}
