import type { KnownBlock } from '@slack/types';
import { escapeMrkdwn } from './text.js';

export interface Message {
  text: string;
  blocks?: KnownBlock[];
}

const COMMANDS: ReadonlyArray<readonly [string, string]> = [
  ['/concert help', 'this list'],
  ['/concert setup', 'choose the Core and backbone channels, the default time zone and working hours'],
  ['/concert group', 'add or edit a work group and its weekly check-in (backbone)'],
];

/** The list of commands; with the word that was not understood when there was one. */
export function helpMessage(unknownWord?: string): Message {
  const intro = unknownWord
    ? `I don’t know \`/concert ${escapeMrkdwn(unknownWord)}\`. Here is what I can do:`
    : '*Concert* helps the coalition do what it says it’s going to do. Here is what I can do:';
  const lines = COMMANDS.map(([command, what]) => `• \`${command}\` — ${what}`).join('\n');
  return {
    text: `${intro}\n${lines}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: intro } },
      { type: 'section', text: { type: 'mrkdwn', text: lines } },
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: 'Your open items and the coalition’s state are on Concert’s *Home* tab.' },
        ],
      },
    ],
  };
}
