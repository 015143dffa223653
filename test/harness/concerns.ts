import type { TestApp } from './app.js';
import { CHANNELS } from './coalition.js';
import { proposalPost } from './proposals.js';

// biome-ignore lint/suspicious/noExplicitAny: blocks are arbitrary JSON
type Json = any;

/** Picks an option of the menu on one proposal's own message in the Core channel, by the option's text. */
export function proposalMenu(t: TestApp, user: string, title: string, optionText: string) {
  const post = proposalPost(t, title);
  const block = (post.blocks ?? []).find(
    (b: Json) => b.type === 'actions' && b.elements.some((e: Json) => e.type === 'overflow'),
  );
  const overflow = block?.elements.find((e: Json) => e.type === 'overflow');
  const option = overflow?.options.find((o: Json) => o.text.text === optionText);
  if (!option) throw new Error(`the proposal “${title}” has no menu option “${optionText}”`);
  return t.slack.blockAction(
    user,
    { kind: 'message', channel: CHANNELS.core, ts: post.ts, blocks: post.blocks ?? [] },
    block,
    { ...overflow, selected_option: option },
  );
}

/** Raises a concern on a proposal through its menu and the form. */
export async function raiseConcern(t: TestApp, user: string, title: string, text: string) {
  await proposalMenu(t, user, title, 'Raise a concern');
  const form = t.slack.modal(user);
  form.fill('Your concern', text);
  return form.submit(user);
}

/** Amends a proposal's details (and, if given, its title) through its menu and the form. */
export async function amend(
  t: TestApp,
  user: string,
  title: string,
  change: { details: string; title?: string; note?: string },
) {
  await proposalMenu(t, user, title, 'Amend the text');
  const form = t.slack.modal(user);
  form.fill('Details', change.details);
  if (change.title) form.fill('Title', change.title);
  if (change.note) form.fill('What changed, and why', change.note);
  return form.submit(user);
}
