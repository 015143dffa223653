import type { Db } from './database.js';
import type { Concern, Proposal, ProposalText } from './schema.js';

/** A proposal's earlier texts, oldest first (the current text is on the proposal itself). */
export async function earlierTextsOf(db: Db, proposalId: number): Promise<ProposalText[]> {
  return db
    .selectFrom('proposal_texts')
    .selectAll()
    .where('proposal_id', '=', proposalId)
    .orderBy('version')
    .execute();
}

/**
 * Replaces the proposal's text if it is still open and still on `fromVersion`, keeping the text it had as
 * an earlier version; undefined, and nothing written, when another amendment or the close came first.
 */
export async function amendText(
  db: Db,
  proposal: Proposal,
  amendment: { fromVersion: number; title: string; details: string | null; by: string; note: string | null },
  now: Date,
): Promise<Proposal | undefined> {
  const amended = await db
    .updateTable('proposals')
    .set({
      title: amendment.title,
      details: amendment.details,
      text_version: amendment.fromVersion + 1,
      amended_at: now,
    })
    .where('team_id', '=', proposal.team_id)
    .where('id', '=', proposal.id)
    .where('status', '=', 'open')
    .where('text_version', '=', amendment.fromVersion)
    .returningAll()
    .executeTakeFirst();
  if (!amended) return undefined;
  await db
    .insertInto('proposal_texts')
    .values({
      team_id: proposal.team_id,
      proposal_id: proposal.id,
      version: amendment.fromVersion,
      title: proposal.title,
      details: proposal.details,
      replaced_by: amendment.by,
      replaced_at: now,
      note: amendment.note,
    })
    .execute();
  return amended;
}

/** Voters whose position was given on an earlier text than `version`. */
export async function votersOnEarlierText(db: Db, proposalId: number, version: number): Promise<string[]> {
  const rows = await db
    .selectFrom('proposal_votes')
    .select('voter_id')
    .where('proposal_id', '=', proposalId)
    .where('text_version', '<', version)
    .orderBy('voter_id')
    .execute();
  return rows.map((r) => r.voter_id);
}

/** A new concern; undefined, and nothing inserted, when the same form already raised one. */
export async function insertConcern(
  db: Db,
  concern: {
    team_id: string;
    proposal_id: number;
    raised_by: string;
    text: string;
    text_version: number;
    raised_at: Date;
    view_id: string | null;
  },
): Promise<Concern | undefined> {
  return db
    .insertInto('proposal_concerns')
    .values(concern)
    .onConflict((oc) => oc.columns(['team_id', 'view_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function findConcern(db: Db, teamId: string, id: number): Promise<Concern | undefined> {
  return db
    .selectFrom('proposal_concerns')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findConcernByView(
  db: Db,
  teamId: string,
  viewId: string,
): Promise<Concern | undefined> {
  return db
    .selectFrom('proposal_concerns')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('view_id', '=', viewId)
    .executeTakeFirst();
}

/** Marks the concern resolved if it is not yet: returns it only to the caller who marked it. */
export async function resolveConcernIfOpen(
  db: Db,
  teamId: string,
  id: number,
  now: Date,
): Promise<Concern | undefined> {
  return db
    .updateTable('proposal_concerns')
    .set({ resolved_at: now })
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .where('resolved_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/** A proposal's concerns, in the order they were raised. */
export async function concernsOf(db: Db, proposalId: number): Promise<Concern[]> {
  return db
    .selectFrom('proposal_concerns')
    .selectAll()
    .where('proposal_id', '=', proposalId)
    .orderBy('id')
    .execute();
}
