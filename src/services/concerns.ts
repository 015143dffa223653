import { channelMemberIds } from '../db/channel-members.js';
import type { Db } from '../db/database.js';
import { takeOnce, wasTaken } from '../db/interaction-effects.js';
import {
  amendText,
  findConcern,
  findConcernByView,
  insertConcern,
  resolveConcernIfOpen,
  votersOnEarlierText,
} from '../db/proposal-texts.js';
import { findProposal, postedMessageOf, votesOf } from '../db/proposals.js';
import type { Concern, Proposal } from '../db/schema.js';
import { type Once, REPEAT, type Repeat } from './once.js';
import { queueMessage } from './outgoing.js';
import { PROPOSAL_DETAILS_MAX, PROPOSAL_TITLE_MAX } from './proposals.js';
import { type Roles, rolesOf } from './roles.js';
import type { FieldErrors } from './validation.js';
import { castVote, type VoteResult } from './votes.js';

/**
 * Concerns and amendments: formal consensus as the coalition's charter practises it. While a proposal is
 * open, anyone in the Core channel may raise a concern; the proposer (or the backbone) may amend the text
 * in answer. Positions given before an amendment are kept but stand on the earlier text: their voters are
 * asked by DM to confirm or change them, and only positions on the final text count at the close.
 */

export const CONCERN_MAX = 500;
export const AMENDMENT_NOTE_MAX = 500;

export type ProposalRefusal =
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'closed'; proposal: Proposal }
  | { ok: false; reason: 'not-core'; proposal: Proposal; coreChannelId: string | null }
  | { ok: false; reason: 'not-proposer'; proposal: Proposal; backboneChannelId: string | null };

/** Open and before its deadline: what a concern or an amendment needs. */
function isOpen(proposal: Proposal, now: Date): boolean {
  return proposal.status === 'open' && proposal.closes_at > now;
}

/**
 * Whether this person is among those who decide the proposal: the Core's members, or for a work group's own
 * vote on ending its partnership, the group's channel's members.
 */
async function inDecidingChannel(db: Db, proposal: Proposal, roles: Roles): Promise<boolean> {
  if (proposal.stage !== 'group') return roles.isCore;
  return (await channelMemberIds(db, proposal.team_id, proposal.channel_id)).includes(roles.userId);
}

/** Whether this person may raise a concern on the proposal now (anyone in the Core channel, while open). */
export async function mayRaiseConcern(
  db: Db,
  request: { teamId: string; proposalId: number; userId: string },
  now: Date,
): Promise<{ ok: true; proposal: Proposal } | ProposalRefusal> {
  const proposal = await findProposal(db, request.teamId, request.proposalId);
  if (!proposal) return { ok: false, reason: 'not-found' };
  if (!isOpen(proposal, now)) return { ok: false, reason: 'closed', proposal };
  const roles = await rolesOf(db, request.teamId, request.userId);
  if (!(await inDecidingChannel(db, proposal, roles)))
    return {
      ok: false,
      reason: 'not-core',
      proposal,
      coreChannelId: roles.workspace?.core_channel_id ?? null,
    };
  return { ok: true, proposal };
}

export type ConcernResult =
  | { ok: true; concern: Concern; proposal: Proposal; duplicate: boolean; ids: number[] }
  | ProposalRefusal
  | { ok: false; reason: 'invalid'; errors: FieldErrors<'concern'> };

/**
 * Raises a concern: kept with who raised it and on which text, and posted in the proposal's thread (once,
 * keyed by the concern). One form raises one concern however often it is submitted (`viewId`).
 */
export async function raiseConcern(
  db: Db,
  request: { teamId: string; proposalId: number; userId: string; text: string | null; viewId: string | null },
  now: Date,
): Promise<ConcernResult> {
  const { teamId, userId, viewId } = request;
  if (viewId) {
    const raised = await findConcernByView(db, teamId, viewId);
    const proposal = raised && (await findProposal(db, teamId, raised.proposal_id));
    if (raised && proposal) return { ok: true, concern: raised, proposal, duplicate: true, ids: [] };
  }
  const text = (request.text ?? '').trim();
  if (!text) return { ok: false, reason: 'invalid', errors: { concern: 'Say what concerns you.' } };
  if (text.length > CONCERN_MAX)
    return {
      ok: false,
      reason: 'invalid',
      errors: {
        concern: `Keep the concern to ${CONCERN_MAX} characters or fewer (this one has ${text.length}).`,
      },
    };
  const may = await mayRaiseConcern(db, request, now);
  if (!may.ok) return may;
  return db.transaction().execute(async (tx): Promise<ConcernResult> => {
    const proposal = may.proposal;
    const concern = await insertConcern(tx, {
      team_id: teamId,
      proposal_id: proposal.id,
      raised_by: userId,
      text,
      text_version: proposal.text_version,
      raised_at: now,
      view_id: viewId,
    });
    if (!concern) {
      const raised = viewId ? await findConcernByView(tx, teamId, viewId) : undefined;
      if (!raised) throw new Error(`the concern from form ${viewId} was neither inserted nor found`);
      return { ok: true, concern: raised, proposal, duplicate: true, ids: [] };
    }
    const posted = await postedMessageOf(tx, teamId, proposal.id);
    const row = await queueMessage(
      tx,
      {
        teamId,
        kind: 'proposal_concern',
        data: { proposal, concern },
        to: posted?.message_channel ?? proposal.channel_id,
        ...(posted?.message_ts ? { threadTs: posted.message_ts } : {}),
      },
      now,
    );
    return { ok: true, concern, proposal, duplicate: false, ids: row ? [row.id] : [] };
  });
}

export type ResolveResult =
  | { ok: true; concern: Concern; changed: boolean }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'not-raiser'; concern: Concern }
  | Repeat;

/**
 * A concern is marked resolved by whoever raised it, once; again changes nothing. With `once` (the click on
 * the concern as shown), the same click again is a `repeat`, answered by nobody.
 */
export async function resolveConcern(
  db: Db,
  request: { teamId: string; concernId: number; userId: string },
  now: Date,
  once?: Once,
): Promise<ResolveResult> {
  const concern = await findConcern(db, request.teamId, request.concernId);
  if (!concern) return { ok: false, reason: 'not-found' };
  if (concern.raised_by !== request.userId) return { ok: false, reason: 'not-raiser', concern };
  return db.transaction().execute(async (tx): Promise<ResolveResult> => {
    if (!(await takeOnce(tx, once, now))) return REPEAT;
    const resolved = await resolveConcernIfOpen(tx, request.teamId, concern.id, now);
    return resolved ? { ok: true, concern: resolved, changed: true } : { ok: true, concern, changed: false };
  });
}

/** A proposal's earlier texts are read where the proposal is: by the Core (its channel's members) and the backbone. */
export async function mayReadEarlierTexts(
  db: Db,
  request: { teamId: string; proposalId: number; userId: string },
): Promise<{ ok: true; proposal: Proposal } | ProposalRefusal> {
  const proposal = await findProposal(db, request.teamId, request.proposalId);
  if (!proposal) return { ok: false, reason: 'not-found' };
  const roles = await rolesOf(db, request.teamId, request.userId);
  if ((await inDecidingChannel(db, proposal, roles)) || roles.isBackbone) return { ok: true, proposal };
  return { ok: false, reason: 'not-core', proposal, coreChannelId: roles.workspace?.core_channel_id ?? null };
}

/** The proposer, or a backbone member, may amend an open proposal's text. */
export async function mayAmend(
  db: Db,
  request: { teamId: string; proposalId: number; userId: string },
  now: Date,
): Promise<{ ok: true; proposal: Proposal } | ProposalRefusal> {
  const proposal = await findProposal(db, request.teamId, request.proposalId);
  if (!proposal) return { ok: false, reason: 'not-found' };
  if (!isOpen(proposal, now)) return { ok: false, reason: 'closed', proposal };
  if (proposal.proposer_id === request.userId) return { ok: true, proposal };
  const roles = await rolesOf(db, request.teamId, request.userId);
  if (roles.isBackbone) return { ok: true, proposal };
  return {
    ok: false,
    reason: 'not-proposer',
    proposal,
    backboneChannelId: roles.workspace?.backbone_channel_id ?? null,
  };
}

export type AmendField = 'title' | 'details' | 'note';

export type AmendResult =
  | { ok: true; proposal: Proposal; asked: string[]; ids: number[] }
  | ProposalRefusal
  | { ok: false; reason: 'invalid'; errors: FieldErrors<AmendField> }
  | { ok: false; reason: 'repeat' };

/**
 * Amends the proposal's text from the version the form was opened on (`fromVersion`): the earlier text is
 * kept for the record, the thread is told what changed, and every voter whose position stands on an
 * earlier text is asked by DM to confirm or change it (once per amendment and voter). An amendment made
 * meanwhile by someone else, or the close, refuses this one: the form was written against a text that is
 * no longer the proposal's.
 */
export async function amendProposal(
  db: Db,
  request: {
    teamId: string;
    proposalId: number;
    userId: string;
    fromVersion: number;
    title: string | null;
    details: string | null;
    note: string | null;
  },
  now: Date,
  once?: Once,
): Promise<AmendResult> {
  if (await wasTaken(db, once)) return { ok: false, reason: 'repeat' };
  const title = (request.title ?? '').trim();
  const details = request.details?.trim() || null;
  const note = request.note?.trim() || null;
  const errors: FieldErrors<AmendField> = {};
  if (!title) errors.title = 'Give the proposal a title.';
  else if (title.length > PROPOSAL_TITLE_MAX)
    errors.title = `Keep the title to ${PROPOSAL_TITLE_MAX} characters or fewer (this one has ${title.length}).`;
  if ((details?.length ?? 0) > PROPOSAL_DETAILS_MAX)
    errors.details = `Keep the details to ${PROPOSAL_DETAILS_MAX} characters or fewer (these have ${details?.length}).`;
  if ((note?.length ?? 0) > AMENDMENT_NOTE_MAX)
    errors.note = `Keep this to ${AMENDMENT_NOTE_MAX} characters or fewer (it has ${note?.length}).`;
  if (Object.keys(errors).length > 0) return { ok: false, reason: 'invalid', errors };
  const may = await mayAmend(db, request, now);
  if (!may.ok) return may;
  const current = may.proposal;
  // The same form again, after the first was taken: the text moved on because of it.
  if (current.text_version !== request.fromVersion && (await wasTaken(db, once)))
    return { ok: false, reason: 'repeat' };
  if (current.text_version !== request.fromVersion)
    return {
      ok: false,
      reason: 'invalid',
      errors: {
        details:
          'The proposal was amended by someone else since you opened this form. Close it and amend the text as it is now.',
      },
    };
  if (current.title === title && current.details === details)
    return {
      ok: false,
      reason: 'invalid',
      errors: { details: 'This is the text as it stands: change it to amend it.' },
    };
  return db.transaction().execute(async (tx): Promise<AmendResult> => {
    if (!(await takeOnce(tx, once, now))) return { ok: false, reason: 'repeat' };
    const amended = await amendText(
      tx,
      current,
      { fromVersion: request.fromVersion, title, details, by: request.userId, note },
      now,
    );
    if (!amended) {
      if (await wasTaken(tx, once)) return { ok: false, reason: 'repeat' };
      const after = await findProposal(tx, request.teamId, request.proposalId);
      if (!after) return { ok: false, reason: 'not-found' };
      if (!isOpen(after, now)) return { ok: false, reason: 'closed', proposal: after };
      return {
        ok: false,
        reason: 'invalid',
        errors: {
          details:
            'The proposal was amended by someone else since you opened this form. Close it and amend the text as it is now.',
        },
      };
    }
    const ids: number[] = [];
    const posted = await postedMessageOf(tx, request.teamId, amended.id);
    const told = await queueMessage(
      tx,
      {
        teamId: request.teamId,
        kind: 'proposal_amended',
        data: { proposal: amended, by: request.userId, note },
        to: posted?.message_channel ?? amended.channel_id,
        ...(posted?.message_ts ? { threadTs: posted.message_ts } : {}),
      },
      now,
    );
    if (told) ids.push(told.id);
    const asked = await votersOnEarlierText(tx, amended.id, amended.text_version);
    for (const voter of asked) {
      const row = await queueMessage(
        tx,
        { teamId: request.teamId, kind: 'proposal_recheck', data: { proposal: amended, voter }, to: voter },
        now,
      );
      if (row) ids.push(row.id);
    }
    return { ok: true, proposal: amended, asked, ids };
  });
}

/**
 * *Keep my position*: the voter's position on an earlier text, given again on the current one (its reason
 * kept). A position already on the current text changes nothing.
 */
export async function confirmPosition(
  db: Db,
  request: { teamId: string; proposalId: number; voterId: string },
  now: Date,
  once?: Once,
): Promise<VoteResult | { ok: false; reason: 'no-position'; proposal: Proposal }> {
  const proposal = await findProposal(db, request.teamId, request.proposalId);
  if (!proposal) return { ok: false, reason: 'not-found' };
  const vote = (await votesOf(db, proposal.id)).find((v) => v.voter_id === request.voterId);
  if (!vote) {
    if (!isOpen(proposal, now)) return { ok: false, reason: 'closed', proposal };
    return { ok: false, reason: 'no-position', proposal };
  }
  return castVote(
    db,
    { ...request, position: vote.position, reason: vote.reason, ground: vote.block_ground },
    now,
    once,
  );
}

/** A re-check DM goes only while the vote is open and the voter's position still stands on an earlier text. */
export async function positionStillToConfirm(
  db: Db,
  teamId: string,
  { proposalId, voter }: { proposalId: number; voter: string },
): Promise<boolean> {
  const proposal = await findProposal(db, teamId, proposalId);
  if (proposal?.status !== 'open') return false;
  const vote = (await votesOf(db, proposalId)).find((v) => v.voter_id === voter);
  return vote !== undefined && vote.text_version < proposal.text_version;
}
