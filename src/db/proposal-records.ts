import type { Db } from './database.js';
import type { ActionStep, Extension, OutcomeStatement, Proposal } from './schema.js';

/**
 * Moves an open proposal's close from `from` to `to` (and its reminder to `remindAt`, if it has not gone
 * yet), keeping the extension; undefined, and nothing written, when the close already moved or the vote
 * closed meanwhile.
 */
export async function extendClose(
  db: Db,
  proposal: Proposal,
  change: { from: Date; to: Date; remindAt: Date; by: string; viewId: string | null },
  now: Date,
): Promise<{ proposal: Proposal; extension: Extension } | undefined> {
  const moved = await db
    .updateTable('proposals')
    .set((eb) => ({
      closes_at: change.to,
      remind_at: eb
        .case()
        .when('reminded_at', 'is', null)
        .then(change.remindAt)
        .else(eb.ref('remind_at'))
        .end(),
    }))
    .where('team_id', '=', proposal.team_id)
    .where('id', '=', proposal.id)
    .where('status', '=', 'open')
    .where('closes_at', '=', change.from)
    .returningAll()
    .executeTakeFirst();
  if (!moved) return undefined;
  const extension = await db
    .insertInto('proposal_extensions')
    .values({
      team_id: proposal.team_id,
      proposal_id: proposal.id,
      old_closes_at: change.from,
      new_closes_at: change.to,
      extended_by: change.by,
      extended_at: now,
      view_id: change.viewId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { proposal: moved, extension };
}

export async function findExtensionByView(
  db: Db,
  teamId: string,
  viewId: string,
): Promise<Extension | undefined> {
  return db
    .selectFrom('proposal_extensions')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('view_id', '=', viewId)
    .executeTakeFirst();
}

/** A proposal's extensions, oldest first. */
export async function extensionsOf(db: Db, proposalId: number): Promise<Extension[]> {
  return db
    .selectFrom('proposal_extensions')
    .selectAll()
    .where('proposal_id', '=', proposalId)
    .orderBy('id')
    .execute();
}

/** The outcome statement; undefined, and nothing written, when the proposal has one already. */
export async function insertStatement(
  db: Db,
  statement: OutcomeStatement,
): Promise<OutcomeStatement | undefined> {
  return db
    .insertInto('proposal_statements')
    .values(statement)
    .onConflict((oc) => oc.column('proposal_id').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function statementOf(db: Db, proposalId: number): Promise<OutcomeStatement | undefined> {
  return db
    .selectFrom('proposal_statements')
    .selectAll()
    .where('proposal_id', '=', proposalId)
    .executeTakeFirst();
}

/** What links a step to the decision it came from. */
export const decisionRef = (proposalId: number) => `proposal:${proposalId}`;

/** The action steps a decision's outcome statement made, in the order written. */
export async function decisionStepsOf(db: Db, teamId: string, proposalId: number): Promise<ActionStep[]> {
  return db
    .selectFrom('action_steps')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('source', '=', 'decision')
    .where('source_ref', '=', decisionRef(proposalId))
    .orderBy('id')
    .execute();
}

/** Each decision's outcome statement and its steps' standing, for the proposals given. */
export interface DecisionRecord {
  statement: OutcomeStatement;
  steps: { total: number; done: number; dropped: number; overdue: number };
}

/**
 * Each decision's outcome statement and its next steps' standing on `today`; with `asOf`, as they stood at
 * that instant (a statement or step made later left out, a step done later counted open), so a past
 * period's figures do not change.
 */
export async function decisionRecordsOf(
  db: Db,
  teamId: string,
  proposalIds: readonly number[],
  today: string,
  asOf?: Date,
): Promise<Map<number, DecisionRecord>> {
  const records = new Map<number, DecisionRecord>();
  if (proposalIds.length === 0) return records;
  const statements = await db
    .selectFrom('proposal_statements')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('proposal_id', 'in', proposalIds)
    .$if(asOf !== undefined, (qb) => qb.where('written_at', '<=', asOf as Date))
    .execute();
  if (statements.length === 0) return records;
  const steps = await db
    .selectFrom('action_steps')
    .select(['source_ref', 'status', 'due_date', 'closed_at'])
    .where('team_id', '=', teamId)
    .where('source', '=', 'decision')
    .where(
      'source_ref',
      'in',
      statements.map((s) => decisionRef(s.proposal_id)),
    )
    .$if(asOf !== undefined, (qb) => qb.where('created_at', '<=', asOf as Date))
    .execute();
  const closedBy = (s: { closed_at: Date | null }) => !asOf || (s.closed_at !== null && s.closed_at <= asOf);
  const isDone = (s: (typeof steps)[number]) => s.status === 'done' && closedBy(s);
  const isDropped = (s: (typeof steps)[number]) => s.status === 'dropped' && closedBy(s);
  for (const statement of statements) {
    const mine = steps.filter((s) => s.source_ref === decisionRef(statement.proposal_id));
    records.set(statement.proposal_id, {
      statement,
      steps: {
        total: mine.length,
        done: mine.filter(isDone).length,
        dropped: mine.filter(isDropped).length,
        overdue: mine.filter((s) => !isDone(s) && !isDropped(s) && s.due_date < today).length,
      },
    });
  }
  return records;
}
