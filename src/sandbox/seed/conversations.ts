import { dayAt, type SeedContext, type SeedEvent } from './context.js';
import { CHANNELS, PEOPLE } from './workspace.js';

interface Line {
  day: number;
  hourUtc: number;
  user: string;
  channel: string;
  text: string;
  replies?: readonly { user: string; text: string }[];
}

/** Enough of the coalition talking that the channels look lived in, with a thread to open. */
const LINES: readonly Line[] = [
  {
    day: -27,
    hourUtc: 14,
    user: PEOPLE.amara,
    channel: CHANNELS.general,
    text: 'Welcome, everyone! Concert is set up: check-ins, action steps and proposals all live here now. Try `/concert help`.',
  },
  {
    day: -20,
    hourUtc: 16,
    user: PEOPLE.priya,
    channel: CHANNELS.food,
    text: 'Pantry numbers are up 12% since September. We need more drivers on Saturdays.',
    replies: [
      { user: PEOPLE.sam, text: 'I can train two new drivers this month.' },
      { user: PEOPLE.lena, text: 'The co-op might lend us their van on weekends, I will ask.' },
    ],
  },
  {
    day: -12,
    hourUtc: 15,
    user: PEOPLE.tomas,
    channel: CHANNELS.housing,
    text: 'The forum is on! We still need a room and an interpreter.',
  },
  {
    day: -8,
    hourUtc: 17,
    user: PEOPLE.grace,
    channel: CHANNELS.youth,
    text: 'Six employers have said maybe to the job fair. Chasing for yeses this week.',
  },
  {
    day: -3,
    hourUtc: 15,
    user: PEOPLE.diego,
    channel: CHANNELS.core,
    text: 'Reminder: Core meets Thursday. Agenda items in the thread please.',
    replies: [{ user: PEOPLE.priya, text: 'The grocery map, and whether Food Access takes on transport.' }],
  },
  {
    day: -1,
    hourUtc: 20,
    user: PEOPLE.jamal,
    channel: CHANNELS.youth,
    text: 'Sorry all, the permission slips are taking longer than I hoped. Two schools still to go.',
  },
];

export function seedConversations(context: SeedContext): SeedEvent[] {
  const { fake } = context;
  return LINES.map((line) => {
    const at = dayAt(context, line.day, line.hourUtc);
    return {
      at,
      run() {
        const parent = fake.postAs(line.user, line.channel, line.text, { at });
        for (const [i, reply] of (line.replies ?? []).entries()) {
          fake.postAs(reply.user, line.channel, reply.text, {
            at: new Date(at.getTime() + (i + 1) * 25 * 60_000),
            threadTs: parent.ts,
          });
        }
      },
    };
  });
}
