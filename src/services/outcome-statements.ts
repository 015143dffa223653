import type { Db } from '../db/database.js';
import { decisionRef, insertStatement, statementOf } from '../db/proposal-records.js';
import { findProposal, postedMessageOf } from '../db/proposals.js';
import type { ActionStep, OutcomeStatement, Proposal } from '../db/schema.js';
import { insertStepWithEvent, todayFor, validateDraft } from './action-steps.js';
import { queueAssignment } from './nudges.js';
import { queueMessage } from './outgoing.js';
import { isCountedPerson } from './people.js';
import { proposalState, votesNeeded } from './proposals.js';
import { rolesOf } from './roles.js';
import type { SlackDirectory } from './slack-directory.js';

/**
 * A record of what was decided: after a close, the proposer or a backbone member writes the outcome
 * statement (what was decided, what happens next) with up to five next steps, each becoming an action step
 * (owner, due date, source `decision`, linked to the proposal), nudged and counted like any other, so
 * "doing what they say they're going to do" applies to decisions too.
 */

export const STATEMENT_MAX = 1500;
export const NEXT_STEPS_MAX = 5;

export interface NextStepDraft {
  title: string | null;
  ownerId: string | null;
  dueDate: string | null;
}

/** Field errors: `decided`, `next`, `gap`, and per row `step<n>Title`, `step<n>Owner`, `step<n>Due` (n from 1). */
export type StatementErrors = Record<string, string>;

export type StatementRefusal =
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'not-closed'; proposal: Proposal }
  | { ok: false; reason: 'written'; proposal: Proposal; statement: OutcomeStatement }
  | { ok: false; reason: 'not-allowed'; proposal: Proposal; backboneChannelId: string | null };

/** The proposer or a backbone member, once the vote has closed (not withdrawn), and only once. */
export async function mayWriteStatement(
  db: Db,
  request: { teamId: string; proposalId: number; userId: string },
): Promise<{ ok: true; proposal: Proposal } | StatementRefusal> {
  const proposal = await findProposal(db, request.teamId, request.proposalId);
  if (!proposal) return { ok: false, reason: 'not-found' };
  if (proposal.status !== 'closed') return { ok: false, reason: 'not-closed', proposal };
  const written = await statementOf(db, proposal.id);
  if (written) return { ok: false, reason: 'written', proposal, statement: written };
  const roles = await rolesOf(db, request.teamId, request.userId);
  if (proposal.proposer_id !== request.userId && !roles.isBackbone)
    return {
      ok: false,
      reason: 'not-allowed',
      proposal,
      backboneChannelId: roles.workspace?.backbone_channel_id ?? null,
    };
  return { ok: true, proposal };
}

/**
 * The charter: when the Core agrees to end a partnership, its outcome statement says how the gap left by the
 * group will be filled. Asked of the Core's agreed `end_work_group` proposals only.
 */
export function asksForGap(proposal: Proposal): boolean {
  return proposal.kind === 'end_work_group' && proposal.stage === 'core' && proposal.outcome === 'consensus';
}

export type StatementResult =
  | { ok: true; proposal: Proposal; statement: OutcomeStatement; steps: ActionStep[]; ids: number[] }
  | StatementRefusal
  | { ok: false; reason: 'invalid'; errors: StatementErrors }
  | { ok: false; reason: 'repeat' };

/**
 * Writes the outcome statement and makes its next steps into action steps, in one transaction: the
 * statement, the steps and their events, the DM to each owner put down by someone else, and the statement
 * in the proposal's thread. The same form again finds the statement written and does nothing (`repeat`).
 */
export async function writeOutcomeStatement(
  db: Db,
  directory: SlackDirectory,
  request: {
    teamId: string;
    proposalId: number;
    userId: string;
    decided: string | null;
    next: string | null;
    /** For an ended partnership: how the gap the group leaves will be filled. */
    gap?: string | null;
    steps: readonly NextStepDraft[];
  },
  now: Date,
): Promise<StatementResult> {
  const { teamId, userId } = request;
  const decided = request.decided?.trim() ?? '';
  const next = request.next?.trim() || null;
  const gap = request.gap?.trim() || null;
  const errors: StatementErrors = {};
  if (!decided) errors.decided = 'Say what was decided.';
  else if (decided.length > STATEMENT_MAX)
    errors.decided = `Keep this to ${STATEMENT_MAX} characters or fewer (it has ${decided.length}).`;
  if ((next?.length ?? 0) > STATEMENT_MAX)
    errors.next = `Keep this to ${STATEMENT_MAX} characters or fewer (it has ${next?.length}).`;
  const today = await todayFor(db, teamId, userId, now);
  const rows = request.steps.slice(0, NEXT_STEPS_MAX);
  const wanted: { n: number; step: NextStepDraft }[] = [];
  for (const [i, step] of rows.entries()) {
    const n = i + 1;
    const title = step.title?.trim() ?? '';
    if (!title && !step.ownerId && !step.dueDate) continue;
    const problems = validateDraft(
      { title, details: null, ownerId: step.ownerId, workGroupId: null, dueDate: step.dueDate },
      today,
    );
    if (problems.title) errors[`step${n}Title`] = problems.title;
    if (problems.owner) errors[`step${n}Owner`] = problems.owner;
    else if (step.ownerId && !(await isCountedPerson(db, directory, teamId, step.ownerId, now)))
      errors[`step${n}Owner`] = 'Choose a person. An app or a deactivated account can’t own an action step.';
    if (problems.dueDate) errors[`step${n}Due`] = problems.dueDate;
    wanted.push({ n, step: { ...step, title } });
  }
  if ((gap?.length ?? 0) > STATEMENT_MAX)
    errors.gap = `Keep this to ${STATEMENT_MAX} characters or fewer (it has ${gap?.length}).`;
  const may = await mayWriteStatement(db, request);
  if (!may.ok) {
    // The same form again, once the first was written by this person: nothing more to do or say.
    if (may.reason === 'written' && may.statement.written_by === userId)
      return { ok: false, reason: 'repeat' };
    return may;
  }
  if (asksForGap(may.proposal) && !gap)
    errors.gap =
      'Say how the gap the work group leaves will be filled: who takes on its part of the common agenda.';
  if (Object.keys(errors).length > 0) return { ok: false, reason: 'invalid', errors };
  const { proposal } = may;
  return db.transaction().execute(async (tx): Promise<StatementResult> => {
    const statement = await insertStatement(tx, {
      proposal_id: proposal.id,
      team_id: teamId,
      decided,
      next,
      gap: asksForGap(proposal) ? gap : null,
      written_by: userId,
      written_at: now,
    });
    if (!statement) return { ok: false, reason: 'repeat' };
    const steps: ActionStep[] = [];
    const ids: number[] = [];
    for (const { step } of wanted) {
      const created = await insertStepWithEvent(
        tx,
        {
          teamId,
          createdBy: userId,
          source: 'decision',
          sourceRef: decisionRef(proposal.id),
          draft: {
            title: step.title,
            details: null,
            ownerId: step.ownerId,
            workGroupId: null,
            dueDate: step.dueDate,
          },
        },
        now,
      );
      steps.push(created);
      if (created.owner_id !== userId) {
        const id = await queueAssignment(tx, created, now);
        if (id) ids.push(id);
      }
    }
    const posted = await postedMessageOf(tx, teamId, proposal.id);
    const row = await queueMessage(
      tx,
      {
        teamId,
        kind: 'proposal_statement',
        data: { proposal, statement, steps },
        to: posted?.message_channel ?? proposal.channel_id,
        ...(posted?.message_ts ? { threadTs: posted.message_ts } : {}),
      },
      now,
    );
    if (row) ids.push(row.id);
    // The proposal's message loses its *Outcome statement* button, and says where the statement is.
    if (posted?.message_ts) {
      const state = await proposalState(tx, proposal);
      const rewrite = await queueMessage(
        tx,
        {
          teamId,
          kind: 'proposal_stated',
          data: { state, required: votesNeeded(state) },
          to: posted.message_channel ?? proposal.channel_id,
          updateTs: posted.message_ts,
        },
        now,
      );
      if (rewrite) ids.push(rewrite.id);
    }
    return { ok: true, proposal, statement, steps, ids };
  });
}
