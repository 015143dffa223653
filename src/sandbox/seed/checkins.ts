import type { Assessment, Checkin, WorkGroup } from '../../db/schema.js';
import { listActiveWorkGroups } from '../../db/work-groups.js';
import { findWorkspace } from '../../db/workspaces.js';
import { queueReports, queueSupportRequest, refreshCheckinMessages } from '../../services/checkin-rounds.js';
import { checkinWindow } from '../../services/checkin-schedule.js';
import { checkinForm, goAway, openCheckinsFor, skipCheckin, submitCheckin } from '../../services/checkins.js';
import { deliverDue } from '../../services/delivery.js';
import { refreshStepMessages } from '../../services/nudges.js';
import { queuedMessageStillWanted } from '../../services/still-wanted.js';
import { addDays, type IsoDate, isoWeekday, parseClockTime, utcDate } from '../../services/time.js';
import { webSender } from '../../slack/web-sender.js';
import { WORK_GROUPS } from './coalition.js';
import { later, type SeedContext, type SeedEvent } from './context.js';
import { seedValueFor } from './indicators.js';
import { PEOPLE, SANDBOX_CHANNELS, tzOf } from './workspace.js';

interface Answer {
  kind: 'answer';
  assessment: Assessment;
  note?: string;
  actions: string;
  next: string;
  support?: string;
  /** Answered after the round closed, so the report joins the summary's thread late. */
  late?: boolean;
}

type Behaviour = Answer | { kind: 'skip' } | { kind: 'away' } | { kind: 'miss' };

const on = (actions: string, next: string): Answer => ({
  kind: 'answer',
  assessment: 'on_track',
  actions,
  next,
});
const SKIP = { kind: 'skip' } as const;
const AWAY = { kind: 'away' } as const;
const MISS = { kind: 'miss' } as const;

/** What each member set out to do, as the first answer said it; later answers keep it, as the form prefills it. */
const INTENTIONS: Record<string, string> = {
  [PEOPLE.priya]: 'Keep the pantry network stocked and make the grocery map useful to families.',
  [PEOPLE.sam]: 'Enough trained volunteers and drivers that no Saturday pickup is missed.',
  [PEOPLE.lena]: 'Bring the co-op and the corner stores into the bulk buying plan.',
  [PEOPLE.tomas]: 'Get the city to release the vacant lots for affordable housing.',
  [PEOPLE.kofi]: 'A tenant forum that every household on the east side can attend.',
  [PEOPLE.rosa]: 'Know which tenants face eviction this winter, building by building.',
  [PEOPLE.grace]: 'Twenty employers at the youth job fair, each with real openings.',
  [PEOPLE.jamal]: 'Every student who wants to come to the job fair can come.',
  [PEOPLE.amara]: 'Support Youth Jobs with the backbone’s contacts and data.',
};

/**
 * Three weeks of check-ins per work group, oldest round first: most members answer, and across the groups
 * someone skips, someone is away, someone misses it, someone answers late and someone asks for support.
 */
const ROUNDS: Record<string, Record<string, readonly Behaviour[]>> = {
  'Food Access': {
    [PEOPLE.priya]: [
      on('Met two pantries about the map.', 'Collect store hours for the grocery map'),
      on('Store hours collected for the north side.', 'Draft the grocery map legend'),
      {
        kind: 'answer',
        assessment: 'at_risk',
        note: 'Two pantries have not sent their numbers.',
        actions: 'Legend drafted; chased the pantries twice.',
        next: 'Call the two pantries that are missing',
      },
    ],
    [PEOPLE.sam]: [
      on('Posted the volunteer call in three churches.', 'Interview the new volunteers'),
      SKIP,
      on('Four new volunteers interviewed.', 'Pair each new volunteer with a driver'),
    ],
    [PEOPLE.lena]: [
      {
        kind: 'answer',
        assessment: 'at_risk',
        note: 'The co-op is unsure it can commit volumes.',
        actions: 'Met the co-op board.',
        next: 'Send the co-op our volume estimates',
      },
      AWAY,
      MISS,
    ],
  },
  Housing: {
    [PEOPLE.tomas]: [
      on('Wrote to the council about the lots.', 'Ask the council clerk for the lot list'),
      on('Lot list requested.', 'Map the lots against the transit lines'),
      {
        kind: 'answer',
        assessment: 'off_track',
        note: 'The city postponed the hearing to January.',
        actions: 'Lots mapped; hearing postponed.',
        next: 'Find out who sits on the January hearing panel',
      },
    ],
    [PEOPLE.kofi]: [
      on('Survey printed and handed out.', 'Collect the first tenant surveys'),
      {
        kind: 'answer',
        assessment: 'on_track',
        actions: 'Forty surveys back.',
        next: 'Enter the surveys in the shared sheet',
        late: true,
      },
      {
        kind: 'answer',
        assessment: 'at_risk',
        note: 'No interpreter yet for the forum.',
        actions: 'Surveys entered; forum date set.',
        next: 'Send the forum invitation to the tenant list',
        support: 'We need a Spanish interpreter for the forum on the 12th. Does a partner have one?',
      },
    ],
    [PEOPLE.rosa]: [
      {
        kind: 'answer',
        assessment: 'at_risk',
        note: 'The court records are slow to come.',
        actions: 'Requested the eviction filings.',
        next: 'Sort the filings by building',
      },
      MISS,
      SKIP,
    ],
  },
  'Youth Jobs': {
    [PEOPLE.grace]: [
      on('Six employers said maybe.', 'Send the employers the fair’s one-pager'),
      on('One-pager sent; three yeses.', 'Book the gym for the fair'),
      on('Gym booked.', 'Ask the yeses for the number of openings'),
    ],
    [PEOPLE.jamal]: [
      on('Talked to four school counselors.', 'Send permission slips to the four schools'),
      {
        kind: 'answer',
        assessment: 'at_risk',
        note: 'Two schools have not answered.',
        actions: 'Slips sent to two schools.',
        next: 'Visit the two schools that have not answered',
      },
      MISS,
    ],
    [PEOPLE.amara]: [SKIP, AWAY, SKIP],
  },
};

const HOUR_MS = 3_600_000;

/** The last three days of the group's check-in weekday up to the start (by the UTC calendar), oldest first. */
function pastRoundDates(now: Date, weekday: number): IsoDate[] {
  const today = utcDate(now);
  const latest = addDays(today, -((isoWeekday(today) - weekday + 7) % 7));
  return [addDays(latest, -14), addDays(latest, -7), latest];
}

/**
 * Past weekly rounds, made the way the app makes them: the check-ins job runs at each moment a member's
 * check-in opened, was reminded and closed, and members answer, skip or go away through the check-in
 * services in between. The summaries and threaded reports reach the channels at those moments.
 */
export function seedCheckins(context: SeedContext): SeedEvent[] {
  const events: SeedEvent[] = [];
  for (const group of WORK_GROUPS) {
    const members = SANDBOX_CHANNELS.find((c) => c.id === group.channelId)?.members ?? [];
    const schedule = {
      weekday: group.weekday,
      minute: parseClockTime(group.time) ?? 0,
      reminderHours: group.reminderHours,
      closeHours: group.closeHours,
    };
    const moments = new Set<number>();
    for (const [index, roundDate] of pastRoundDates(context.now, group.weekday).entries()) {
      for (const member of members) {
        const window = checkinWindow(
          roundDate,
          schedule,
          group.tzMode === 'member' ? tzOf(member) : group.tz,
        );
        for (const at of [window.opensAt, window.reminderAt, window.closesAt]) moments.add(at.getTime());
        const behaviour = ROUNDS[group.name]?.[member]?.[index] ?? MISS;
        events.push(...memberEvents(context, group.channelId, member, roundDate, window, behaviour));
      }
    }
    for (const at of moments) {
      events.push({ at: new Date(at), run: () => context.runJob('checkins', new Date(at)) });
    }
  }
  return events;
}

function memberEvents(
  context: SeedContext,
  channelId: string,
  userId: string,
  roundDate: IsoDate,
  window: { opensAt: Date; closesAt: Date },
  behaviour: Behaviour,
): SeedEvent[] {
  // The prompt is out once the job has run at the opening; the member's check-in is looked up then.
  let checkin: Checkin | undefined;
  const find: SeedEvent = {
    at: later(window.opensAt, 1),
    async run() {
      const group = await groupOf(context, channelId);
      checkin = (await openCheckinsFor(context.db, context.teamId, userId)).find(
        (c) => c.work_group_id === group.id,
      );
    },
  };
  switch (behaviour.kind) {
    case 'miss':
      return [];
    case 'away': {
      // Told the app two days before, as `/checkin away until …` does.
      const at = new Date(window.opensAt.getTime() - 48 * HOUR_MS);
      return [
        {
          at,
          async run() {
            const result = await goAway(
              context.db,
              { teamId: context.teamId, userId, until: addDays(roundDate, 3) },
              at,
            );
            if (!result.ok)
              throw new Error(`the sandbox seed could not set ${userId} away: ${result.problem}`);
          },
        },
      ];
    }
    case 'skip': {
      const at = later(window.opensAt, 50);
      return [find, { at, run: () => skip(context, channelId, userId, checkin, at) }];
    }
    case 'answer': {
      const at = behaviour.late
        ? new Date(window.closesAt.getTime() + 5 * HOUR_MS)
        : new Date(window.opensAt.getTime() + (2 + (userId.length % 3)) * HOUR_MS);
      return [find, { at, run: () => answer(context, channelId, userId, checkin, behaviour, at) }];
    }
  }
}

async function groupOf(context: SeedContext, channelId: string): Promise<WorkGroup> {
  const group = (await listActiveWorkGroups(context.db, context.teamId)).find(
    (g) => g.channel_id === channelId,
  );
  if (!group) throw new Error(`the sandbox seed has no work group in ${channelId}`);
  return group;
}

async function skip(
  context: SeedContext,
  channelId: string,
  userId: string,
  checkin: Checkin | undefined,
  at: Date,
): Promise<void> {
  if (!checkin) throw new Error(`the sandbox seed found no check-in of ${userId} in ${channelId} to skip`);
  const { db, teamId, client, log } = context;
  const result = await skipCheckin(db, { teamId, userId, checkinId: checkin.id }, at);
  if (!result.ok) throw new Error(`the sandbox seed could not skip a check-in: ${result.reason}`);
  await refreshCheckinMessages(db, webSender(client), result.checkin, result.group, log);
}

/**
 * Answers as the form would: last week's intention, what became of each open step in the group (a step
 * from an earlier check-in that has come due is done; the rest are in progress), and one next step due by
 * the next round. What follows is what the app does after a saved check-in, short of the confirmation.
 */
async function answer(
  context: SeedContext,
  channelId: string,
  userId: string,
  checkin: Checkin | undefined,
  given: Answer,
  at: Date,
): Promise<void> {
  if (!checkin) throw new Error(`the sandbox seed found no check-in of ${userId} in ${channelId} to answer`);
  const { db, teamId, client, directory, log } = context;
  const target = { checkinId: checkin.id };
  const form = await checkinForm(db, { teamId, userId, target }, at);
  if (!form.ok) throw new Error(`the sandbox seed could not open a check-in: ${form.reason}`);
  const { today, steps, group } = form.form;
  const submitted = await submitCheckin(
    db,
    directory,
    {
      teamId,
      userId,
      target,
      viewId: `seed-${checkin.id}`,
      answers: {
        intention: form.form.intention ?? INTENTIONS[userId] ?? 'Move our work forward this week.',
        actionsTaken: given.actions,
        assessment: given.assessment,
        assessmentNote: given.note ?? null,
        support: given.support ?? null,
        steps: steps.map((step) => ({
          stepId: step.id,
          progress: step.source === 'checkin' && step.due_date <= today ? 'done' : 'in_progress',
          newDate: null,
          note: null,
        })),
        next: [{ title: given.next, dueDate: addDays(form.form.roundDate ?? today, 7), ownerId: userId }],
        indicators: form.form.indicators.map((q) => ({
          indicatorId: q.indicator.id,
          value: seedValueFor(q.indicator.name, group.name, form.form.roundDate ?? today, context.now),
        })),
      },
    },
    at,
  );
  if (!submitted.ok)
    throw new Error(`the sandbox seed could not answer a check-in: ${JSON.stringify(submitted)}`);
  const saved = submitted.value;
  const sender = webSender(client);
  for (const { step, event } of saved.changed) await refreshStepMessages(db, sender, step, event, log);
  const send = await queueReports(db, teamId, at, log, saved.checkin);
  const workspace = await findWorkspace(db, teamId);
  if (saved.supportAsked && workspace) {
    const id = await queueSupportRequest(db, workspace, saved.checkin, group, at);
    if (id) send.push(id);
  }
  if (send.length > 0) await deliverDue(db, sender, queuedMessageStillWanted(db), at, log, { ids: send });
  await refreshCheckinMessages(db, sender, saved.checkin, group, log);
}
