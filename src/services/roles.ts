import { channelsOfUser } from '../db/channel-members.js';
import type { Db } from '../db/database.js';
import type { WorkGroup, Workspace } from '../db/schema.js';
import { listWorkGroupsOfMember } from '../db/work-groups.js';
import { findWorkspace } from '../db/workspaces.js';
import { personFor } from './people.js';
import type { SlackDirectory } from './slack-directory.js';

/**
 * A person's place in the coalition, read from the channels they are in: the backbone channel, the Core
 * channel, and each work group's channel. This is the one answer every feature uses.
 */
export interface Roles {
  readonly userId: string;
  readonly workspace: Workspace | undefined;
  readonly isSetUp: boolean;
  readonly isBackbone: boolean;
  readonly isCore: boolean;
  readonly workGroups: readonly WorkGroup[];
  /** Work groups this person represents in the Core: a member of the group who is also in the Core channel. */
  readonly representativeOf: readonly WorkGroup[];
}

export async function rolesOf(db: Db, teamId: string, userId: string): Promise<Roles> {
  const [workspace, channels, workGroups] = await Promise.all([
    findWorkspace(db, teamId),
    channelsOfUser(db, teamId, userId),
    listWorkGroupsOfMember(db, teamId, userId),
  ]);
  const inChannel = (id: string | null | undefined) => id != null && channels.includes(id);
  const isCore = inChannel(workspace?.core_channel_id);
  return {
    userId,
    workspace,
    isSetUp: workspace?.set_up_at != null,
    isBackbone: inChannel(workspace?.backbone_channel_id),
    isCore,
    workGroups,
    representativeOf: isCore ? workGroups : [],
  };
}

export type Refusal =
  /** Before setup only workspace admins, owners and the configured Concert admins may act. */
  { reason: 'not-admin' } | { reason: 'not-set-up' } | { reason: 'not-backbone'; backboneChannelId: string };

export type Permission = { allowed: true; roles: Roles } | ({ allowed: false; roles: Roles } & Refusal);

/** Who may run setup: admins/owners (or CONCERT_ADMIN_IDS) until it is done, then the backbone. */
export async function maySetUp(
  db: Db,
  directory: SlackDirectory,
  adminIds: readonly string[],
  teamId: string,
  userId: string,
  now: Date,
): Promise<Permission> {
  const roles = await rolesOf(db, teamId, userId);
  const backboneChannelId = roles.workspace?.backbone_channel_id;
  if (roles.isSetUp && backboneChannelId) {
    return roles.isBackbone
      ? { allowed: true, roles }
      : { allowed: false, roles, reason: 'not-backbone', backboneChannelId };
  }
  if (adminIds.includes(userId)) return { allowed: true, roles };
  // Admin status can change at any time and decides who may configure the app, so it is never read stale.
  const person = await personFor(db, directory, teamId, userId, now, 0);
  return person && (person.is_admin || person.is_owner) && !person.deleted
    ? { allowed: true, roles }
    : { allowed: false, roles, reason: 'not-admin' };
}

/** The backbone's own tools (work groups, nudges, digest, exports) need setup done and backbone membership. */
export async function mayActAsBackbone(db: Db, teamId: string, userId: string): Promise<Permission> {
  const roles = await rolesOf(db, teamId, userId);
  const backboneChannelId = roles.workspace?.backbone_channel_id;
  if (!roles.isSetUp || !backboneChannelId) return { allowed: false, roles, reason: 'not-set-up' };
  return roles.isBackbone
    ? { allowed: true, roles }
    : { allowed: false, roles, reason: 'not-backbone', backboneChannelId };
}
