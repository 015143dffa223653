import type { Kysely } from 'kysely';

/**
 * OAuth mode (Add to Slack): one row per workspace that installed Concert, its tokens sealed with
 * CONCERT_ENCRYPTION_KEY (slack/token-cipher.ts); and the OAuth `state` of each install begun, so that each
 * is used once. Enterprise Grid org-wide installs are not taken yet: every row is one workspace.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('installations')
    .addColumn('team_id', 'text', (c) => c.primaryKey())
    .addColumn('team_name', 'text')
    .addColumn('enterprise_id', 'text')
    .addColumn('enterprise_name', 'text')
    .addColumn('app_id', 'text')
    .addColumn('bot_id', 'text', (c) => c.notNull())
    .addColumn('bot_user_id', 'text', (c) => c.notNull())
    .addColumn('bot_scopes', 'text', (c) => c.notNull())
    .addColumn('bot_token', 'text', (c) => c.notNull())
    // Set only when token rotation is on: the token then expires, and the refresh token makes a new one.
    .addColumn('bot_refresh_token', 'text')
    .addColumn('bot_token_expires_at', 'timestamptz')
    .addColumn('installer_user_id', 'text', (c) => c.notNull())
    .addColumn('installed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('oauth_states')
    // A hash of the state: the state itself is a bearer value until used.
    .addColumn('state_hash', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('oauth_states').execute();
  await db.schema.dropTable('installations').execute();
}
