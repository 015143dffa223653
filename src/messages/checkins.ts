import type { ActionStep, ChannelProblem, Checkin, WorkGroup } from '../db/schema.js';
import { checkinStillAsked, checkinStillMissed, memberKey } from '../services/checkin-rounds.js';
import { messageKind } from '../services/outgoing.js';
import type { IsoDate } from '../services/time.js';
import {
  checkinSupportMessage,
  closedPromptMessage,
  promptMessage,
  type ReportData,
  type RoundSummary,
  reminderMessage,
  reportMessage,
  settledPromptMessage,
  summaryMessage,
} from '../views/checkins.js';
import { skippedRoundMessage } from '../views/lifecycle.js';

/** The round and member a prompt, reminder or rewrite was keyed with (`round:member…`). */
function keyedMember(key: string): { roundId: number; userId: string } {
  const [roundId, userId] = key.split(':');
  return { roundId: Number(roundId), userId: userId ?? '' };
}

/** The DM that opens a member's check-in: once per round and member. */
export const checkin_prompt = messageKind({
  key: ({ checkin }: { checkin: Checkin; group: WorkGroup; steps: readonly ActionStep[]; today: IsoDate }) =>
    memberKey(checkin),
  render: ({ checkin, group, steps, today }) => promptMessage(checkin, group, steps, today),
  stillWanted: (db, row, now) => checkinStillAsked(db, row.team_id, keyedMember(row.dedupe_key), now),
  failure: { means: 'the member was not asked to check in this week', told: 'nobody' },
});

/** The one reminder to a member who has neither answered nor skipped: once per round and member. */
export const checkin_reminder = messageKind({
  key: ({ checkin }: { checkin: Checkin; group: WorkGroup }) => memberKey(checkin),
  render: ({ checkin, group }) => reminderMessage(checkin, group),
  stillWanted: (db, row, now) => checkinStillAsked(db, row.team_id, keyedMember(row.dedupe_key), now),
  failure: { means: 'the member was not reminded of their open check-in', told: 'nobody' },
});

/**
 * A prompt or reminder left unanswered, rewritten in place at the close (no more *Skip this week*): keyed
 * `round:member:kind rewritten`, wanted only while the member is still missing.
 */
export const checkin_closed = messageKind({
  key: ({ checkin, of }: { checkin: Checkin; group: WorkGroup; of: 'checkin_prompt' | 'checkin_reminder' }) =>
    `${memberKey(checkin)}:${of}`,
  render: ({ checkin, group }) => closedPromptMessage(checkin, group),
  stillWanted: (db, row) => checkinStillMissed(db, keyedMember(row.dedupe_key)),
  failure: { means: 'a closed round’s prompt still offers to skip (a click is refused)', told: 'nobody' },
});

/**
 * A prompt or reminder once the member answered or skipped, rewritten in place by refreshCheckinMessages
 * (not queued).
 */
export const checkin_settled = messageKind({
  key: ({ checkin }: { checkin: Checkin; group: WorkGroup }) => memberKey(checkin),
  render: ({ checkin, group }) => settledPromptMessage(checkin, group),
  failure: { means: 'a prompt still shows buttons for a check-in already given', told: 'nobody' },
});

/** The round's parent message in the group's channel, at the close: once per round. */
export const checkin_summary = messageKind({
  key: ({ roundId }: { roundId: number; summary: RoundSummary }) => String(roundId),
  render: ({ summary }) => summaryMessage(summary),
  failure: { means: 'the group’s round has no summary, and its reports no thread', told: 'backbone' },
});

/** One member's report, in the round's thread: once per check-in (an edit rewrites it in place). */
export const checkin_report = messageKind({
  key: ({ checkin }: ReportData) => String(checkin.id),
  render: (report: ReportData) => reportMessage(report),
  failure: { means: 'a member’s report is missing from the round’s thread', told: 'backbone' },
});

/** A check-in's request for support, to the backbone channel: once per saved version of the check-in. */
export const checkin_support = messageKind({
  key: ({ checkin }: { checkin: Checkin; group: WorkGroup }) =>
    `${checkin.id}:${checkin.updated_at.toISOString()}`,
  render: ({ checkin, group }) => checkinSupportMessage(checkin, group),
  failure: { means: 'the backbone did not hear a member’s request for support', told: 'backbone' },
});

/** A round that did not open because Concert cannot reach the group's channel: the backbone hears once. */
export const checkin_round_skipped = messageKind({
  key: ({ group, roundDate }: { group: WorkGroup; roundDate: IsoDate; problem: ChannelProblem }) =>
    `${group.id}:${roundDate}`,
  render: ({ group, roundDate, problem }) => skippedRoundMessage(group, roundDate, problem),
  failure: { means: 'the backbone did not hear that a round did not open', told: 'backbone' },
});
