import type { Db } from '../db/database.js';
import { extendClose, findExtensionByView } from '../db/proposal-records.js';
import { findProposal, postedMessageOf, voterIdsOf } from '../db/proposals.js';
import type { Extension, Proposal } from '../db/schema.js';
import { checkClosing, reminderAt } from './closing-time.js';
import type { ProposalRefusal } from './concerns.js';
import { queueMessage } from './outgoing.js';
import { zoneOf } from './proposals.js';
import { rolesOf } from './roles.js';
import { formatClockTime, laterBy, localTime } from './time.js';
import type { FieldErrors } from './validation.js';

/** What the extension form offers: a day after the close as it stands, on the extender's wall clock. */
export function extensionDefaults(proposal: Proposal, tz: string): { closeDate: string; closeTime: string } {
  const local = localTime(laterBy(proposal.closes_at, tz, { days: 1 }), tz);
  return { closeDate: local.date, closeTime: formatClockTime(local.minute) };
}

/**
 * More time for a vote: the proposer or a backbone member moves its close later, once or more. The old and
 * new times are kept (proposal_extensions), the reminder moves with the close if it has not gone, the
 * thread and every voter are told, and the scheduler's sweep closes it at the new time (the close is read
 * from the database, so it holds across restarts and instances).
 */

/** The proposer or a backbone member may extend an open vote, before its deadline. */
export async function mayExtend(
  db: Db,
  request: { teamId: string; proposalId: number; userId: string },
  now: Date,
): Promise<{ ok: true; proposal: Proposal; tz: string } | ProposalRefusal> {
  const proposal = await findProposal(db, request.teamId, request.proposalId);
  if (!proposal) return { ok: false, reason: 'not-found' };
  if (proposal.status !== 'open' || proposal.closes_at <= now)
    return { ok: false, reason: 'closed', proposal };
  const roles = await rolesOf(db, request.teamId, request.userId);
  if (proposal.proposer_id !== request.userId && !roles.isBackbone)
    return {
      ok: false,
      reason: 'not-proposer',
      proposal,
      backboneChannelId: roles.workspace?.backbone_channel_id ?? null,
    };
  return { ok: true, proposal, tz: await zoneOf(db, roles, request.userId) };
}

export type ExtendResult =
  | { ok: true; proposal: Proposal; extension: Extension; ids: number[]; duplicate: boolean }
  | ProposalRefusal
  | { ok: false; reason: 'invalid'; errors: FieldErrors<'closeDate' | 'closeTime'> };

/**
 * Extends the vote to the date and time chosen in the extender's time zone: later than the close as it
 * stands, and within the limits of any vote (at least an hour from now, at most 60 days). One form extends
 * once (`viewId`), however often it is submitted.
 */
export async function extendProposal(
  db: Db,
  request: {
    teamId: string;
    proposalId: number;
    userId: string;
    closeDate: string | null;
    closeTime: string | null;
    viewId: string | null;
  },
  now: Date,
): Promise<ExtendResult> {
  const { teamId, viewId } = request;
  if (viewId) {
    const made = await findExtensionByView(db, teamId, viewId);
    const proposal = made && (await findProposal(db, teamId, made.proposal_id));
    if (made && proposal) return { ok: true, proposal, extension: made, ids: [], duplicate: true };
  }
  const may = await mayExtend(db, request, now);
  if (!may.ok) return may;
  const closing = checkClosing(request.closeDate, request.closeTime, may.tz, now);
  if (!closing.ok)
    return {
      ok: false,
      reason: 'invalid',
      errors: { [closing.field === 'date' ? 'closeDate' : 'closeTime']: closing.error },
    };
  const from = may.proposal.closes_at;
  if (closing.closesAt <= from)
    return {
      ok: false,
      reason: 'invalid',
      errors: { closeDate: 'Choose a later time than the vote closes now: an extension gives more time.' },
    };
  return db.transaction().execute(async (tx): Promise<ExtendResult> => {
    const extended = await extendClose(
      tx,
      may.proposal,
      { from, to: closing.closesAt, remindAt: reminderAt(now, closing.closesAt), by: request.userId, viewId },
      now,
    );
    if (!extended) {
      const made = viewId ? await findExtensionByView(tx, teamId, viewId) : undefined;
      const after = await findProposal(tx, teamId, request.proposalId);
      if (made && after) return { ok: true, proposal: after, extension: made, ids: [], duplicate: true };
      if (!after) return { ok: false, reason: 'not-found' };
      if (after.status !== 'open') return { ok: false, reason: 'closed', proposal: after };
      return {
        ok: false,
        reason: 'invalid',
        errors: {
          closeDate:
            'The close was moved by someone else since you opened this form. Close it and try again.',
        },
      };
    }
    const { proposal, extension } = extended;
    const ids: number[] = [];
    const posted = await postedMessageOf(tx, teamId, proposal.id);
    const thread = await queueMessage(
      tx,
      {
        teamId,
        kind: 'proposal_extended',
        data: { proposal, extension, to: 'thread' as const },
        to: posted?.message_channel ?? proposal.channel_id,
        ...(posted?.message_ts ? { threadTs: posted.message_ts } : {}),
      },
      now,
    );
    if (thread) ids.push(thread.id);
    for (const voter of await voterIdsOf(tx, proposal.id)) {
      if (voter === request.userId) continue;
      const row = await queueMessage(
        tx,
        { teamId, kind: 'proposal_extended', data: { proposal, extension, to: voter }, to: voter },
        now,
      );
      if (row) ids.push(row.id);
    }
    return { ok: true, proposal, extension, ids, duplicate: false };
  });
}
