import type { Message } from './help.js';

export function errorNotice(ref: string): Message {
  const text = `Sorry, something went wrong on Concert’s side and that was not done. Please try again in a minute; if it keeps happening, tell your backbone team and mention reference \`${ref}\`.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:warning: ${text}` } }] };
}
