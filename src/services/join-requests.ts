import type { Db } from '../db/database.js';
import { findJoinRequest, findJoinRequestByView, insertJoinRequest } from '../db/join-requests.js';
import type { JoinRequest } from '../db/schema.js';
import { findActiveWorkGroupByChannel, findActiveWorkGroupByName } from '../db/work-groups.js';
import { channelAccessProblem } from './channel-access.js';
import { queueMessage } from './outgoing.js';
import { isCountedPerson } from './people.js';
import { rolesOf } from './roles.js';
import type { SlackDirectory } from './slack-directory.js';
import type { FieldErrors } from './validation.js';
import { WORK_GROUP_NAME_MAX } from './work-groups.js';

/**
 * Adding a work group starts with interest (the charter): a group that wants to join says so, with its
 * purpose, a contact and its willingness to meet the coalition's expectations; the backbone gets it with a
 * button that opens the "add work group" proposal prefilled. Anyone of a set-up workspace may ask.
 */

export const JOIN_PURPOSE_MAX = 1000;

export type JoinField = 'groupName' | 'channel' | 'purpose' | 'contact' | 'willing';

export interface JoinDraft {
  groupName: string | null;
  channelId: string | null;
  purpose: string | null;
  contactId: string | null;
  /** The group is willing to meet the coalition's expectations. */
  willing: boolean;
}

export type JoinResult =
  | { ok: true; request: JoinRequest; ids: number[]; duplicate: boolean }
  | { ok: false; reason: 'invalid'; errors: FieldErrors<JoinField> }
  | { ok: false; reason: 'not-set-up' };

/**
 * Checks and records a request to join, and puts it before the backbone in its channel (once per request).
 * A channel that is already a work group's, the Core's or the backbone's is refused in words, under its field.
 * One form makes one request (`viewId`).
 */
export async function requestToJoin(
  db: Db,
  directory: SlackDirectory,
  request: { teamId: string; userId: string; draft: JoinDraft; viewId: string | null },
  now: Date,
): Promise<JoinResult> {
  const { teamId, userId, draft, viewId } = request;
  if (viewId) {
    const made = await findJoinRequestByView(db, teamId, viewId);
    if (made) return { ok: true, request: made, ids: [], duplicate: true };
  }
  const roles = await rolesOf(db, teamId, userId);
  const workspace = roles.workspace;
  if (!roles.isSetUp || !workspace?.backbone_channel_id) return { ok: false, reason: 'not-set-up' };
  const errors: FieldErrors<JoinField> = {};
  const name = (draft.groupName ?? '').trim().replace(/\s+/g, ' ');
  if (!name) errors.groupName = 'Name the group that wants to join.';
  else if (name.length > WORK_GROUP_NAME_MAX)
    errors.groupName = `Keep the name to ${WORK_GROUP_NAME_MAX} characters or fewer (this one has ${name.length}).`;
  else if (await findActiveWorkGroupByName(db, teamId, name))
    errors.groupName = `There is already a work group called “${name}”.`;
  const channelId = draft.channelId ?? '';
  if (!channelId) errors.channel = 'Choose the channel where the group works.';
  else if (channelId === workspace.core_channel_id)
    errors.channel = 'That is the Core channel. Choose the group’s own.';
  else if (channelId === workspace.backbone_channel_id)
    errors.channel = 'That is the backbone channel. Choose the group’s own.';
  else {
    const group = await findActiveWorkGroupByChannel(db, teamId, channelId);
    if (group)
      errors.channel = `That channel is already the work group “${group.name}”: it is part of the coalition. Choose the new group’s own channel.`;
    else {
      const problem = await channelAccessProblem(directory, channelId);
      if (problem) errors.channel = problem;
    }
  }
  const purpose = (draft.purpose ?? '').trim();
  if (!purpose) errors.purpose = 'Say what the group works on and why it wants to join.';
  else if (purpose.length > JOIN_PURPOSE_MAX)
    errors.purpose = `Keep this to ${JOIN_PURPOSE_MAX} characters or fewer (it has ${purpose.length}).`;
  if (!draft.contactId) errors.contact = 'Choose who the backbone can talk to.';
  else if (!(await isCountedPerson(db, directory, teamId, draft.contactId, now)))
    errors.contact = 'Choose a person. An app or a deactivated account can’t be the contact.';
  if (!draft.willing)
    errors.willing =
      'Joining means meeting the coalition’s expectations: weekly check-ins, and doing what the group says it will do. Tick this if the group is willing.';
  if (Object.keys(errors).length > 0) return { ok: false, reason: 'invalid', errors };
  return db.transaction().execute(async (tx): Promise<JoinResult> => {
    const made = await insertJoinRequest(tx, {
      team_id: teamId,
      group_name: name,
      channel_id: channelId,
      purpose,
      contact_id: draft.contactId as string,
      requested_by: userId,
      requested_at: now,
      view_id: viewId,
    });
    if (!made) {
      const found = viewId ? await findJoinRequestByView(tx, teamId, viewId) : undefined;
      if (!found) throw new Error(`the join request from form ${viewId} was neither inserted nor found`);
      return { ok: true, request: found, ids: [], duplicate: true };
    }
    const row = await queueMessage(
      tx,
      { teamId, kind: 'join_request', data: { request: made }, to: workspace.backbone_channel_id as string },
      now,
    );
    return { ok: true, request: made, ids: row ? [row.id] : [], duplicate: false };
  });
}

export type JoinProposalRefusal =
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'not-backbone'; backboneChannelId: string | null };

/** The backbone opens the "add work group" proposal from a request; anyone else is told who may. */
export async function mayProposeFromRequest(
  db: Db,
  request: { teamId: string; requestId: number; userId: string },
): Promise<{ ok: true; request: JoinRequest } | JoinProposalRefusal> {
  const roles = await rolesOf(db, request.teamId, request.userId);
  if (!roles.isBackbone)
    return {
      ok: false,
      reason: 'not-backbone',
      backboneChannelId: roles.workspace?.backbone_channel_id ?? null,
    };
  const found = await findJoinRequest(db, request.teamId, request.requestId);
  return found ? { ok: true, request: found } : { ok: false, reason: 'not-found' };
}
