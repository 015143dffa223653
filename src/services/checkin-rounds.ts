import { findActionStep, listOpenStepsOf, listStepsFromSource } from '../db/action-steps.js';
import { awayFrom } from '../db/away.js';
import { unreachableChannels } from '../db/channel-problems.js';
import {
  checkinsToPrompt,
  checkinsToRemind,
  claimRoundClose,
  ensureRound,
  findCheckinInRound,
  findOffCycleCheckin,
  findRound,
  insertCheckin,
  listRoundCheckins,
  listStepUpdates,
  type MemberOfGroup,
  membersOfChannel,
  type ReportToPost,
  type RosterCandidate,
  type RosterRow,
  reportsToPost,
  rosterState,
  roundsDueToClose,
  settleRound,
  updateCheckin,
} from '../db/checkins.js';
import type { Db } from '../db/database.js';
import { findSent, isQueued } from '../db/outbox.js';
import type { ChannelProblem, Checkin, CheckinRound, OutboxRow, WorkGroup, Workspace } from '../db/schema.js';
import { findWorkGroup, listActiveWorkGroups } from '../db/work-groups.js';
import type { Logger } from '../logger.js';
import {
  type CheckinSchedule,
  type CheckinWindow,
  candidateRoundDates,
  checkinWindow,
  isOpen,
  mayBeOpenAnywhere,
} from './checkin-schedule.js';
import type { MessageSender } from './delivery.js';
import { eachAlone } from './isolation.js';
import { queueMessage, type Rendered, renderMessage } from './outgoing.js';
import { localDate, timeZoneOf, utcDate } from './time.js';

/** Kinds of queued message about check-ins. */
export const CHECKIN_KINDS = {
  PROMPT: 'checkin_prompt',
  REMINDER: 'checkin_reminder',
  SUMMARY: 'checkin_summary',
  REPORT: 'checkin_report',
  SUPPORT: 'checkin_support',
  /** The prompt or reminder rewritten at the close for a member who did not answer; keyed `round:member:kind`. */
  CLOSED: 'checkin_closed',
  /** A round that did not open because Concert cannot reach the group's channel; keyed `group:round date`. */
  SKIPPED: 'checkin_round_skipped',
} as const;

const DAY_MS = 86_400_000;

export function scheduleOf(group: WorkGroup): CheckinSchedule {
  return {
    weekday: group.checkin_weekday,
    minute: group.checkin_minute,
    reminderHours: group.checkin_reminder_hours,
    closeHours: group.checkin_close_hours,
  };
}

function tzOf(group: WorkGroup, member: MemberOfGroup): string {
  return group.tz_mode === 'member' ? timeZoneOf(member.tz, group.tz) : timeZoneOf(group.tz);
}

/** Prompts and reminders are keyed by (round, member): each is queued once however often planning runs. */
export const memberKey = (checkin: Pick<Checkin, 'round_id' | 'user_id'>) =>
  `${checkin.round_id}:${checkin.user_id}`;

/**
 * The rounds a tick may have to fill: each group's check-in days whose rounds someone may be in now. A group
 * none of whose rounds is open is not read at all.
 */
function rosterCandidates(groups: readonly WorkGroup[], now: Date): RosterCandidate[] {
  return groups.flatMap((group) => {
    const schedule = scheduleOf(group);
    return candidateRoundDates(now, schedule.weekday)
      .filter((roundDate) =>
        group.tz_mode === 'member'
          ? mayBeOpenAnywhere(roundDate, schedule, now)
          : isOpen(checkinWindow(roundDate, schedule, timeZoneOf(group.tz)), now),
      )
      .map((roundDate) => ({ groupId: group.id, channelId: group.channel_id, roundDate }));
  });
}

/**
 * Puts in their rounds the members whose own check-in time has come, for every group at once: each asked
 * once, from the round after they joined; away members are counted as away; an off-cycle report filed in the
 * week before counts as the answer. Every candidate round's roster is read in one statement (`rosterState`),
 * so a tick with nothing to add costs that one statement however many groups and members there are; a round
 * is made, widened or filled only where a member is due and missing from it, or their time zone widens it.
 * Each group is filled on its own, so one that fails leaves the others filled.
 */
async function rosterGroups(
  db: Db,
  groups: readonly WorkGroup[],
  away: ReadonlyMap<string, string>,
  now: Date,
  log: Logger,
): Promise<void> {
  const teamId = groups[0]?.team_id;
  const candidates = rosterCandidates(groups, now);
  if (teamId === undefined || candidates.length === 0) return;
  const byRound = new Map<string, RosterRow[]>();
  for (const row of await rosterState(db, teamId, candidates)) {
    const key = `${row.group_id}/${row.round_date}`;
    const rows = byRound.get(key);
    if (rows) rows.push(row);
    else byRound.set(key, [row]);
  }
  const byId = new Map(groups.map((g) => [g.id, g]));
  await eachAlone(
    candidates.filter((c) => byRound.has(`${c.groupId}/${c.roundDate}`)),
    async ({ groupId, roundDate }) => {
      const group = byId.get(groupId) as WorkGroup;
      await rosterRound(db, group, roundDate, byRound.get(`${groupId}/${roundDate}`) ?? [], away, now);
    },
    log,
    (c) => ({ teamId, workGroupId: c.groupId, roundDate: c.roundDate }),
    'opening a check-in round',
  );
}

/** One group's round on one date, from its members' rows as `rosterState` read them. */
async function rosterRound(
  db: Db,
  group: WorkGroup,
  roundDate: string,
  members: readonly RosterRow[],
  away: ReadonlyMap<string, string>,
  now: Date,
): Promise<void> {
  const schedule = scheduleOf(group);
  // Members in one zone share their window: worked out once per zone, not once per member.
  const windowsByZone = new Map<string, CheckinWindow>();
  const windowIn = (tz: string) => {
    const known = windowsByZone.get(tz);
    if (known) return known;
    const window = checkinWindow(roundDate, schedule, tz);
    windowsByZone.set(tz, window);
    return window;
  };
  const windows = members.map((m) => ({ member: m, window: windowIn(tzOf(group, m)) }));
  const due = windows.filter(
    ({ member, window }) => isOpen(window, now) && member.joined_at <= window.opensAt,
  );
  if (due.length === 0) return;
  const opensAt = new Date(Math.min(...windows.map((w) => w.window.opensAt.getTime())));
  const closesAt = new Date(Math.max(...windows.map((w) => w.window.closesAt.getTime())));
  const known = members[0]?.round;
  if (known?.closed_at) return;
  const missing = due.filter(({ member }) => !member.in_round);
  // Nothing to add, and the round already spans every member's window: nothing to write.
  const widens = !known || opensAt < known.opens_at || closesAt > known.closes_at;
  if (missing.length === 0 && !widens) return;
  const round = await ensureRound(
    db,
    {
      team_id: group.team_id,
      work_group_id: group.id,
      round_date: roundDate,
      opens_at: opensAt,
      closes_at: closesAt,
    },
    now,
  );
  if (round.closed_at) return;
  for (const { member, window } of missing) {
    const times = { opens_at: window.opensAt, reminder_at: window.reminderAt, closes_at: window.closesAt };
    const isAway = (away.get(member.user_id) ?? '') >= roundDate;
    // A report filed in the week before is this round's answer, also from someone away since.
    const early = await findOffCycleCheckin(db, group.team_id, group.id, member.user_id);
    if (early?.answered_at && early.answered_at.getTime() >= window.opensAt.getTime() - 7 * DAY_MS) {
      await updateCheckin(db, group.team_id, early.id, { round_id: round.id, ...times, updated_at: now });
      continue;
    }
    await insertCheckin(db, {
      team_id: group.team_id,
      work_group_id: group.id,
      round_id: round.id,
      user_id: member.user_id,
      status: isAway ? 'away' : 'pending',
      ...times,
      created_at: now,
      updated_at: now,
    });
  }
}

async function queuePrompts(db: Db, workspace: Workspace, now: Date, log: Logger): Promise<number> {
  let count = 0;
  const groups = new Map<number, WorkGroup | undefined>();
  const groupOf = async (id: number) => {
    if (!groups.has(id)) groups.set(id, await findWorkGroup(db, workspace.team_id, id));
    return groups.get(id);
  };
  const members = new Map<number, MemberOfGroup[]>();
  const membersOf = async (group: WorkGroup) => {
    if (!members.has(group.id))
      members.set(group.id, await membersOfChannel(db, workspace.team_id, group.channel_id));
    return members.get(group.id) as MemberOfGroup[];
  };
  const describe = (c: Checkin) => ({ teamId: c.team_id, checkinId: c.id });
  await eachAlone(
    await checkinsToPrompt(db, workspace.team_id, now),
    async (checkin) => {
      const group = await groupOf(checkin.work_group_id);
      if (group?.status !== 'active') return;
      if (await promptOne(db, workspace, checkin, group, await membersOf(group), now)) count++;
    },
    log,
    describe,
    'queueing a check-in prompt',
  );
  await eachAlone(
    await checkinsToRemind(db, workspace.team_id, now),
    async (checkin) => {
      const group = await groupOf(checkin.work_group_id);
      if (group?.status !== 'active') return;
      const row = await queueMessage(
        db,
        {
          teamId: workspace.team_id,
          kind: CHECKIN_KINDS.REMINDER,
          data: { checkin, group },
          to: checkin.user_id,
        },
        now,
      );
      if (row) count++;
      await updateCheckin(db, workspace.team_id, checkin.id, { reminded_at: now });
    },
    log,
    describe,
    'queueing a check-in reminder',
  );
  return count;
}

async function promptOne(
  db: Db,
  workspace: Workspace,
  checkin: Checkin,
  group: WorkGroup,
  members: readonly MemberOfGroup[],
  now: Date,
): Promise<boolean> {
  const steps = (await listOpenStepsOf(db, workspace.team_id, checkin.user_id)).filter(
    (s) => s.work_group_id === group.id,
  );
  const person = members.find((m) => m.user_id === checkin.user_id);
  if (!person) return false;
  const today = localDate(now, tzOf(group, person));
  const row = await queueMessage(
    db,
    {
      teamId: workspace.team_id,
      kind: CHECKIN_KINDS.PROMPT,
      data: { checkin, group, steps, today },
      to: checkin.user_id,
    },
    now,
  );
  const queued = row !== undefined;
  await updateCheckin(db, workspace.team_id, checkin.id, { prompted_at: now });
  return queued;
}

async function roundSummary(db: Db, round: CheckinRound, group: WorkGroup) {
  return {
    roundId: round.id,
    summary: { group, roundDate: round.round_date, checkins: await listRoundCheckins(db, round.id) },
  };
}

/** Closes each round past its close: once, by whichever tick gets there first; its summary is queued. */
async function closeRounds(db: Db, workspace: Workspace, now: Date, log: Logger): Promise<number> {
  let count = 0;
  const closeOne = async (due: CheckinRound) => {
    const group = await findWorkGroup(db, workspace.team_id, due.work_group_id);
    if (!group) return;
    const members = (await membersOfChannel(db, workspace.team_id, group.channel_id)).map((m) => m.user_id);
    const closed = await db.transaction().execute(async (tx) => {
      const round = await claimRoundClose(tx, due.id, now);
      if (!round) return false;
      await settleRound(tx, round, members);
      if (group.status !== 'active') return false;
      await queueMessage(
        tx,
        {
          teamId: workspace.team_id,
          kind: CHECKIN_KINDS.SUMMARY,
          data: await roundSummary(tx, round, group),
          to: group.channel_id,
        },
        now,
      );
      await queueClosedPrompts(tx, round, group, now);
      return true;
    });
    if (closed) count++;
  };
  await eachAlone(
    await roundsDueToClose(db, workspace.team_id, now),
    closeOne,
    log,
    (r) => ({ teamId: r.team_id, roundId: r.id }),
    'closing a check-in round',
  );
  return count;
}

/** The prompts and reminders a member left unanswered lose their *Skip this week* once the round closes. */
async function queueClosedPrompts(db: Db, round: CheckinRound, group: WorkGroup, now: Date): Promise<void> {
  for (const checkin of await listRoundCheckins(db, round.id)) {
    if (checkin.status !== 'missed') continue;
    for (const kind of [CHECKIN_KINDS.PROMPT, CHECKIN_KINDS.REMINDER]) {
      const sent = await findSent(db, round.team_id, kind, memberKey(checkin));
      if (!sent?.message_channel || !sent.message_ts) continue;
      await queueMessage(
        db,
        {
          teamId: round.team_id,
          kind: CHECKIN_KINDS.CLOSED,
          data: { checkin, group, of: kind },
          to: sent.message_channel,
          updateTs: sent.message_ts,
        },
        now,
      );
    }
  }
}

/**
 * Queues every prompt, reminder and round summary due at `now` in one workspace. A group whose channel
 * Concert cannot reach opens no round until it is back (the backbone was told what to do); each group,
 * prompt and round is planned on its own, so one that fails leaves the others planned.
 */
export async function planCheckins(db: Db, workspace: Workspace, now: Date, log: Logger): Promise<number> {
  const earliest = utcDate(new Date(now.getTime() - 8 * DAY_MS));
  const away = await awayFrom(db, workspace.team_id, earliest);
  const unreachable = await unreachableChannels(db, workspace.team_id);
  const groups = await listActiveWorkGroups(db, workspace.team_id);
  await eachAlone(
    groups.filter((g) => unreachable.has(g.channel_id)),
    (group) =>
      noteSkippedRound(db, workspace, group, unreachable.get(group.channel_id) as ChannelProblem, now),
    log,
    (g) => ({ teamId: g.team_id, workGroupId: g.id }),
    'noting a check-in round skipped',
  );
  try {
    await rosterGroups(
      db,
      groups.filter((g) => !unreachable.has(g.channel_id)),
      away,
      now,
      log,
    );
  } catch (error) {
    // The roster could not be read: no round opens at this tick, and the prompts and closes still go.
    log.error({ err: error, teamId: workspace.team_id }, 'could not read the check-in rounds’ rosters');
  }
  return (await queuePrompts(db, workspace, now, log)) + (await closeRounds(db, workspace, now, log));
}

/** A round that does not open because Concert cannot reach the group's channel: the backbone hears of it once. */
async function noteSkippedRound(
  db: Db,
  workspace: Workspace,
  group: WorkGroup,
  problem: ChannelProblem,
  now: Date,
): Promise<void> {
  if (!workspace.backbone_channel_id) return;
  const schedule = scheduleOf(group);
  for (const roundDate of candidateRoundDates(now, schedule.weekday)) {
    if (!isOpen(checkinWindow(roundDate, schedule, timeZoneOf(group.tz)), now)) continue;
    const key = `${group.id}:${roundDate}`;
    if (await isQueued(db, workspace.team_id, CHECKIN_KINDS.SKIPPED, key)) continue;
    await queueMessage(
      db,
      {
        teamId: workspace.team_id,
        kind: CHECKIN_KINDS.SKIPPED,
        data: { group, roundDate, problem },
        to: workspace.backbone_channel_id,
      },
      now,
    );
  }
}

/** One member's report as its thread reply shows it, with the steps it spoke of and the ones it made. */
export async function reportOfCheckin(db: Db, checkin: Checkin) {
  const updates = await listStepUpdates(db, checkin.id);
  const titled = [];
  for (const update of updates) {
    const step = await findActionStep(db, checkin.team_id, update.action_step_id);
    titled.push({ ...update, title: step?.title ?? 'An action step' });
  }
  const created = await listStepsFromSource(db, checkin.team_id, 'checkin', `checkin:${checkin.id}`);
  return { checkin, updates: titled, created };
}

/**
 * Each answered report goes in its round's thread once the summary is there: at the close, and for a late
 * answer as soon as it comes. Returns the queued rows' ids.
 */
export async function queueReports(
  db: Db,
  teamId: string,
  now: Date,
  log: Logger,
  only?: Checkin,
): Promise<number[]> {
  const due = only
    ? await reportOf(db, teamId, only)
    : await reportsToPost(
        db,
        teamId,
        new Date(now.getTime() - 8 * DAY_MS),
        { summary: CHECKIN_KINDS.SUMMARY, report: CHECKIN_KINDS.REPORT },
        now,
      );
  const ids: number[] = [];
  // One report that cannot be queued leaves the others, of its round and of every other round, posted.
  await eachAlone(
    due,
    async ({ checkin, channelId, threadTs }) => {
      const row = await queueMessage(
        db,
        {
          teamId,
          kind: CHECKIN_KINDS.REPORT,
          data: await reportOfCheckin(db, checkin),
          to: channelId,
          threadTs,
        },
        now,
      );
      if (row) ids.push(row.id);
    },
    log,
    ({ checkin }) => ({ teamId, checkinId: checkin.id }),
    'queueing a check-in report',
  );
  return ids;
}

/** One check-in's report, if it is answered, not queued yet, and its closed round's summary was posted. */
async function reportOf(db: Db, teamId: string, checkin: Checkin): Promise<ReportToPost[]> {
  if (checkin.status !== 'answered') return [];
  const round = await findRound(db, teamId, checkin.round_id ?? -1);
  if (!round?.closed_at) return [];
  const summary = await findSent(db, teamId, CHECKIN_KINDS.SUMMARY, String(round.id));
  if (!summary?.message_ts || !summary.message_channel) return [];
  if (await isQueued(db, teamId, CHECKIN_KINDS.REPORT, String(checkin.id))) return [];
  return [{ checkin, channelId: summary.message_channel, threadTs: summary.message_ts }];
}

/** Queues a check-in's request for support to the backbone channel; returns the row's id. */
export async function queueSupportRequest(
  db: Db,
  workspace: Workspace,
  checkin: Checkin,
  group: WorkGroup,
  now: Date,
): Promise<number | undefined> {
  if (!workspace.backbone_channel_id || !checkin.support_needed) return undefined;
  const row = await queueMessage(
    db,
    {
      teamId: workspace.team_id,
      kind: CHECKIN_KINDS.SUPPORT,
      data: { checkin, group },
      to: workspace.backbone_channel_id,
    },
    now,
  );
  return row?.id;
}

/**
 * After an answer, a skip or an edit: the prompt and reminder stop offering what was done, an edited report
 * in the thread is rewritten, and the summary of a closed round counts a late answer.
 */
export async function refreshCheckinMessages(
  db: Db,
  sender: MessageSender,
  checkin: Checkin,
  group: WorkGroup,
  log: Logger,
): Promise<void> {
  const edits: { row: OutboxRow | undefined; message: () => Promise<Rendered | undefined> }[] = [];
  if (checkin.round_id !== null) {
    const [settled] = renderMessage('checkin_settled', { checkin, group });
    for (const kind of [CHECKIN_KINDS.PROMPT, CHECKIN_KINDS.REMINDER]) {
      edits.push({
        row: await findSent(db, checkin.team_id, kind, memberKey(checkin)),
        message: async () => settled,
      });
    }
    const round = await findRound(db, checkin.team_id, checkin.round_id);
    if (round?.closed_at) {
      edits.push({
        row: await findSent(db, checkin.team_id, CHECKIN_KINDS.SUMMARY, String(round.id)),
        message: async () => renderMessage(CHECKIN_KINDS.SUMMARY, await roundSummary(db, round, group))[0],
      });
    }
  }
  edits.push({
    row: await findSent(db, checkin.team_id, CHECKIN_KINDS.REPORT, String(checkin.id)),
    message: async () => renderMessage(CHECKIN_KINDS.REPORT, await reportOfCheckin(db, checkin))[0],
  });
  for (const { row, message } of edits) {
    if (!row?.message_channel || !row.message_ts) continue;
    const rendered = await message();
    if (!rendered) continue;
    try {
      await sender.update(row.message_channel, row.message_ts, rendered.text, rendered.blocks as unknown[]);
    } catch (error) {
      log.warn(
        { err: error, outboxId: row.id, checkinId: checkin.id },
        'could not update a check-in message',
      );
    }
  }
}

/**
 * A prompt or reminder goes out only while the member has neither answered nor skipped, in a round still
 * open, in a group still active whose channel they are still in.
 */
export async function checkinStillAsked(
  db: Db,
  teamId: string,
  { roundId, userId }: { roundId: number; userId: string },
  now: Date,
): Promise<boolean> {
  const checkin = await findCheckinInRound(db, roundId, userId);
  if (checkin?.status !== 'pending' || !checkin.closes_at) return false;
  if (checkin.closes_at.getTime() <= now.getTime()) return false;
  const group = await findWorkGroup(db, teamId, checkin.work_group_id);
  if (group?.status !== 'active') return false;
  const members = await membersOfChannel(db, teamId, group.channel_id);
  return members.some((m) => m.user_id === checkin.user_id);
}

/**
 * The closed round's rewrite goes out only while the member is still missing: a late report given meanwhile
 * has already settled the prompt, and it is not to be unsettled.
 */
export async function checkinStillMissed(
  db: Db,
  { roundId, userId }: { roundId: number; userId: string },
): Promise<boolean> {
  return (await findCheckinInRound(db, roundId, userId))?.status === 'missed';
}
