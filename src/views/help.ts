import type { KnownBlock } from '@slack/types';
import { escapeMrkdwn } from './text.js';

export interface Message {
  text: string;
  blocks?: KnownBlock[];
}

const COMMANDS: ReadonlyArray<readonly [string, string]> = [
  ['/checkin', 'answer your work group’s weekly check-in now (or edit your answer)'],
  [
    '/checkin away until YYYY-MM-DD',
    'not asked, not reminded and not counted missing until then; `/checkin back` to return',
  ],
  ['/commit [what you will do]', 'make an action step: who does what by when'],
  [
    '/commit list [page]',
    'your open action steps, 20 a page, with buttons to mark them done, move or drop them',
  ],
  ['/propose [title]', 'put a proposal to the Core for formal consensus: Support, Stand aside or Block'],
  ['/concert decisions', 'the Core’s recent decisions'],
  ['/concert help', 'this list'],
  ['/concert join', 'a group asks to join the coalition as a work group; the backbone puts it to the Core'],
  ['/concert setup', 'choose the Core and backbone channels, the default time zone and working hours'],
  ['/concert group', 'add or edit a work group and its weekly check-in (backbone)'],
  [
    '/concert indicators',
    'the shared indicators the work groups report in their check-ins: add, edit, retire (backbone)',
  ],
  [
    '/concert digest [weeks]',
    'the backbone’s figures: check-ins, follow-through, overdue, support, decisions (backbone)',
  ],
  ['/concert export', 'CSV files of action steps, check-ins and decisions, in your DM (backbone)'],
  [
    '/concert delete-data',
    'delete all of the workspace’s data in Concert, after `/concert export` if you want a copy (backbone)',
  ],
  ['/concert nudge @person', 'remind someone of their action steps that are due or overdue (backbone)'],
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

/** `/commit help`. */
export function commitHelp(): Message {
  const text = [
    '• `/commit what you will do` — opens the form with that filled in: who does it (you, unless you choose someone else), by when, for which work group.',
    '• `/commit list` — your open action steps, soonest due first, 20 a page: `/commit list 2` for the next.',
    '• On any message, *More actions → Make an action step* turns it into one, keeping a link to the message.',
  ].join('\n');
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/** `/checkin help`. */
export function checkinHelp(): Message {
  const text = [
    '• `/checkin` — opens your weekly check-in: intention, what became of your action steps, actions taken, how it is going, next steps. With no round open, it is an off-cycle report that the next round counts.',
    '• `/checkin away until 2026-12-31` — you won’t be asked to check in through that day, and you count as away, not missing.',
    '• `/checkin back` — you are asked again, from this week’s round if it is still open.',
  ].join('\n');
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/** `/propose help`. */
export function proposeHelp(): Message {
  const text = [
    '• `/propose title` — opens the form: the kind of proposal, details, and when voting closes (a week unless you choose otherwise). It is posted in the Core channel.',
    '• The backbone proposes adding a work group; a work group’s representatives in the Core propose ending its partnership (its members decide first, in its channel, and only their consensus goes to the Core); any Core member proposes changing the backbone, or anything else.',
    '• The Core members when it opens vote: *Support*, *Stand aside* or *Block* (the last two with a reason, and a Block with the shared commitment it would break). Any Block blocks it; too few votes is no quorum; too many stand-asides is no consensus.',
    '• From the proposal’s menu: anyone in the Core raises a *concern*; the proposer or the backbone *amends the text* (positions given before are asked to be confirmed) or *extends the deadline*. Once closed, they write the *outcome statement*, whose next steps become action steps.',
    '• `/concert decisions` — the decision log.',
  ].join('\n');
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
