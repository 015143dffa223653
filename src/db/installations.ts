import type { Db } from './database.js';
import type { Installation } from './schema.js';

/** What an install stores; the token fields are sealed already (slack/token-cipher.ts). */
export interface InstallationValues {
  /** The workspace's team ID, or for an org-wide install the org's enterprise ID. */
  teamId: string;
  isEnterpriseInstall: boolean;
  teamName: string | null;
  enterpriseId: string | null;
  enterpriseName: string | null;
  appId: string | null;
  botId: string;
  botUserId: string;
  botScopes: string[];
  botToken: string;
  botRefreshToken: string | null;
  botTokenExpiresAt: Date | null;
  installerUserId: string;
}

/** Stores a workspace's installation, replacing an earlier one (a reinstall keeps its first time). */
export async function saveInstallation(db: Db, values: InstallationValues, now: Date): Promise<void> {
  const row = {
    team_name: values.teamName,
    enterprise_id: values.enterpriseId,
    enterprise_name: values.enterpriseName,
    app_id: values.appId,
    bot_id: values.botId,
    bot_user_id: values.botUserId,
    bot_scopes: values.botScopes.join(','),
    bot_token: values.botToken,
    bot_refresh_token: values.botRefreshToken,
    bot_token_expires_at: values.botTokenExpiresAt,
    installer_user_id: values.installerUserId,
    is_enterprise_install: values.isEnterpriseInstall,
    updated_at: now,
  };
  await db
    .insertInto('installations')
    .values({ team_id: values.teamId, ...row, installed_at: now })
    .onConflict((oc) => oc.column('team_id').doUpdateSet(row))
    .execute();
}

export async function findInstallation(db: Db, teamId: string): Promise<Installation | undefined> {
  return db.selectFrom('installations').selectAll().where('team_id', '=', teamId).executeTakeFirst();
}

/**
 * The installation a workspace's requests and sends go through: its own; else, in an Enterprise Grid org,
 * the org-wide installation of `enterpriseId` (as a request says it) or of the org the workspace recorded
 * at setup.
 */
export async function findInstallationFor(
  db: Db,
  teamId: string,
  enterpriseId?: string,
): Promise<Installation | undefined> {
  const own = await findInstallation(db, teamId);
  if (own) return own;
  const org =
    enterpriseId ??
    (
      await db
        .selectFrom('workspaces')
        .select('enterprise_id')
        .where('team_id', '=', teamId)
        .executeTakeFirst()
    )?.enterprise_id;
  if (!org) return undefined;
  return db
    .selectFrom('installations')
    .selectAll()
    .where('team_id', '=', org)
    .where('is_enterprise_install', '=', true)
    .executeTakeFirst();
}

/**
 * The installation, locked until the end of the transaction `tx` (FOR UPDATE): another instance refreshing
 * the same token waits here, then reads what this one stored.
 */
export async function lockInstallation(tx: Db, teamId: string): Promise<Installation | undefined> {
  return tx
    .selectFrom('installations')
    .selectAll()
    .where('team_id', '=', teamId)
    .forUpdate()
    .executeTakeFirst();
}

/** A rotated token: the new sealed token, refresh token and expiry. */
export async function saveRotatedToken(
  tx: Db,
  teamId: string,
  sealed: { botToken: string; botRefreshToken: string; botTokenExpiresAt: Date },
  now: Date,
): Promise<void> {
  await tx
    .updateTable('installations')
    .set({
      bot_token: sealed.botToken,
      bot_refresh_token: sealed.botRefreshToken,
      bot_token_expires_at: sealed.botTokenExpiresAt,
      updated_at: now,
    })
    .where('team_id', '=', teamId)
    .execute();
}

/** Deletes a workspace's installation and so its tokens; true when there was one. */
export async function deleteInstallation(db: Db, teamId: string): Promise<boolean> {
  const result = await db.deleteFrom('installations').where('team_id', '=', teamId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Records an OAuth state handed out, by its hash, until it expires. */
export async function saveOAuthState(db: Db, stateHash: string, expiresAt: Date): Promise<void> {
  await db.insertInto('oauth_states').values({ state_hash: stateHash, expires_at: expiresAt }).execute();
}

/**
 * Uses an OAuth state: true once, for a state handed out and not expired; false for any other, and for the
 * same state again. Expired states are swept on the way.
 */
export async function useOAuthState(db: Db, stateHash: string, now: Date): Promise<boolean> {
  await db.deleteFrom('oauth_states').where('expires_at', '<=', now).execute();
  const used = await db
    .deleteFrom('oauth_states')
    .where('state_hash', '=', stateHash)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(used.numDeletedRows) > 0;
}
