import type { PlainTextElement } from '@slack/types';

/** Slack's mrkdwn treats &, < and > as control characters; user-supplied text must have them escaped. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Slack's markup in a message or a slash command's text, as a person would type it back: mentions and
 * links readable, &, < and > unescaped. For prefilling a plain-text field.
 */
export function readableText(text: string): string {
  return text
    .replace(/<([@#][A-Z0-9]+)\|([^>]+)>/g, (_m, _id: string, label: string) => label)
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<(https?:[^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();
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
