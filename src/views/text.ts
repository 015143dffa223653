import type { PlainTextElement } from '@slack/types';

/** Slack's mrkdwn treats &, < and > as control characters; user-supplied text must have them escaped. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export const channel = (id: string) => `<#${id}>`;
export const user = (id: string) => `<@${id}>`;

export function plain(text: string, max = 75): PlainTextElement {
  return { type: 'plain_text', text: text.length > max ? `${text.slice(0, max - 1)}…` : text, emoji: true };
}

export function list(items: readonly string[], empty = 'none'): string {
  if (items.length === 0) return empty;
  if (items.length === 1) return items[0] as string;
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
