import { listActiveWorkGroups } from '../../db/work-groups.js';
import { changeActionStep, createActionStep, type StepChange } from '../../services/action-steps.js';
import { addDays, type IsoDate, localTime } from '../../services/time.js';
import { dayAt, type SeedContext, type SeedEvent } from './context.js';
import { CHANNELS, PEOPLE, tzOf } from './workspace.js';

interface StepStory {
  title: string;
  owner: string;
  channel: string;
  /** Days from the start the step was made, and the days after that it was due. */
  madeDay: number;
  dueAfter: number;
  details?: string;
  /** What happened to it later, and on which day (from the start). */
  later?: { day: number; change: StepChange };
}

/**
 * A few weeks of commitments, one or more in every state the digest counts: open, due soon, due today,
 * overdue, done on time, done late, renegotiated, dropped, and one with a request for support.
 */
const STORIES: readonly StepStory[] = [
  {
    title: 'Draft the pantry volunteer schedule',
    owner: PEOPLE.sam,
    channel: CHANNELS.food,
    madeDay: -21,
    dueAfter: 7,
    later: { day: -15, change: { kind: 'done' } },
  },
  {
    title: 'Send the Food Access minutes to Core',
    owner: PEOPLE.priya,
    channel: CHANNELS.food,
    madeDay: -9,
    dueAfter: 4,
    later: { day: -6, change: { kind: 'done' } },
  },
  {
    title: 'Send the tenant survey to the printer',
    owner: PEOPLE.kofi,
    channel: CHANNELS.housing,
    madeDay: -20,
    dueAfter: 6,
    later: { day: -10, change: { kind: 'done' } },
  },
  {
    title: 'Book the library room for the housing forum',
    owner: PEOPLE.rosa,
    channel: CHANNELS.housing,
    madeDay: -18,
    dueAfter: 9,
    later: {
      day: -10,
      change: {
        kind: 'renegotiate',
        dueDate: null,
        reason: 'The library is closed for repairs until next week.',
      },
    },
  },
  {
    title: 'Ask the co-op for a discount on bulk orders',
    owner: PEOPLE.lena,
    channel: CHANNELS.food,
    madeDay: -17,
    dueAfter: 8,
    later: {
      day: -12,
      change: { kind: 'drop', reason: 'The co-op joined the food bank; Priya covers it there.' },
    },
  },
  {
    title: 'Collect permission slips for the job fair',
    owner: PEOPLE.jamal,
    channel: CHANNELS.youth,
    madeDay: -14,
    dueAfter: 8,
  },
  {
    title: 'Call the city about the vacant lots',
    owner: PEOPLE.tomas,
    channel: CHANNELS.housing,
    madeDay: -10,
    dueAfter: 8,
  },
  {
    title: 'Find a Spanish interpreter for the forum',
    owner: PEOPLE.kofi,
    channel: CHANNELS.housing,
    madeDay: -6,
    dueAfter: 9,
    later: {
      day: -2,
      change: { kind: 'support', note: 'Our usual interpreter moved away; does anyone know someone?' },
    },
  },
  {
    title: 'Confirm three employers for the job fair',
    owner: PEOPLE.grace,
    channel: CHANNELS.youth,
    madeDay: -5,
    dueAfter: 5,
  },
  {
    title: 'Share the grocery map draft with Core',
    owner: PEOPLE.priya,
    channel: CHANNELS.food,
    madeDay: -6,
    dueAfter: 7,
    details: 'The map of stores that take SNAP, by bus line.',
  },
  {
    title: 'Update the shared agenda for the Core meeting',
    owner: PEOPLE.diego,
    channel: CHANNELS.core,
    madeDay: -4,
    dueAfter: 10,
  },
  {
    title: 'Train two new pantry drivers',
    owner: PEOPLE.sam,
    channel: CHANNELS.food,
    madeDay: -3,
    dueAfter: 12,
  },
];

/** Each story is written through the action step service at the moment it happened, and changed later. */
export function seedActionSteps(context: SeedContext): SeedEvent[] {
  return STORIES.flatMap((story): SeedEvent[] => {
    let made: { id: number; due: IsoDate } | undefined;
    const madeAt = dayAt(context, story.madeDay);
    const make: SeedEvent = {
      at: madeAt,
      async run() {
        made = await makeStep(context, story, madeAt);
      },
    };
    const change = story.later;
    if (!change) return [make];
    const changedAt = dayAt(context, change.day);
    return [
      make,
      {
        at: changedAt,
        async run() {
          if (!made) throw new Error(`the sandbox seed changed “${story.title}” before making it`);
          await changeStep(context, story, made, change.change, changedAt);
        },
      },
    ];
  });
}

async function makeStep(
  context: SeedContext,
  story: StepStory,
  madeAt: Date,
): Promise<{ id: number; due: IsoDate }> {
  const { db, directory, teamId } = context;
  const groups = await listActiveWorkGroups(db, teamId);
  const due = addDays(localTime(madeAt, tzOf(story.owner)).date, story.dueAfter);
  const created = await createActionStep(
    db,
    directory,
    {
      teamId,
      createdBy: story.owner,
      source: 'commit',
      draft: {
        title: story.title,
        details: story.details ?? null,
        ownerId: story.owner,
        workGroupId: groups.find((g) => g.channel_id === story.channel)?.id ?? null,
        dueDate: due,
      },
    },
    madeAt,
  );
  if (!created.ok)
    throw new Error(`the sandbox seed could not make “${story.title}”: ${JSON.stringify(created.errors)}`);
  return { id: created.step.id, due };
}

async function changeStep(
  context: SeedContext,
  story: StepStory,
  made: { id: number; due: IsoDate },
  planned: StepChange,
  at: Date,
): Promise<void> {
  const change: StepChange =
    planned.kind === 'renegotiate' ? { ...planned, dueDate: addDays(made.due, 14) } : planned;
  const changed = await changeActionStep(
    context.db,
    { teamId: context.teamId, stepId: made.id, actorId: story.owner, change },
    at,
  );
  if (!changed.ok) throw new Error(`the sandbox seed could not change “${story.title}”: ${changed.reason}`);
}
