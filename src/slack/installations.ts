import { createHash } from 'node:crypto';
import slackOAuth, {
  type Installation,
  type InstallationQuery,
  type InstallationStore,
  type InstallURLOptions,
  InvalidStateError,
  type StateStore,
} from '@slack/oauth';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { Db } from '../db/database.js';
import {
  deleteInstallation,
  findInstallationFor,
  lockInstallation,
  saveInstallation,
  saveOAuthState,
  saveRotatedToken,
  useOAuthState,
} from '../db/installations.js';
import type { Installation as InstallationRow } from '../db/schema.js';
import { markInstalled, markOrgInstalled } from '../db/workspaces.js';
import type { Logger } from '../logger.js';
import type { TokenCipher } from './token-cipher.js';

/** The bot scopes Concert asks for at install, as manifest.yml lists them (a test holds the two together). */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'im:write',
  'users:read',
  'channels:read',
  'groups:read',
  'channels:join',
  'files:write',
  'channels:history',
  'groups:history',
  'im:history',
] as const;

/** A rotating token is refreshed when it expires within this time (Bolt's own margin is two hours). */
export const REFRESH_BEFORE_MS = 2 * 60 * 60 * 1000;

/** How long an install link's state is good for (seconds), as Bolt's default. */
const STATE_SECONDS = 600;

/** A workspace's bot, as one request or one send needs it. */
export interface BotCredentials {
  teamId: string;
  enterpriseId: string | undefined;
  botToken: string;
  botId: string;
  botUserId: string;
}

/** Thrown when a workspace has no installation (never installed, or uninstalled: its tokens deleted). */
export class NotInstalledError extends Error {
  constructor(readonly teamId: string) {
    super(`Concert is not installed in workspace ${teamId}`);
    this.name = 'NotInstalledError';
  }
}

export interface InstallationsOptions {
  db: Db;
  cipher: TokenCipher;
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  log: Logger;
  /** The Web API client's options (its address) for oauth.v2.access. */
  clientOptions?: WebClientOptions;
  /** Wall time: token expiry is Slack's, never a simulated clock. */
  nowMs?: () => number;
}

// Node's reading of the package's CommonJS exports misses this one; it is on the module object.
const { ClearStateStore } = slackOAuth;

const hashOf = (state: string) => createHash('sha256').update(state).digest('hex');

/**
 * The installations of Concert in OAuth mode, in PostgreSQL with their tokens sealed: the installation store
 * and the state store of Bolt's InstallProvider, and the bot of each workspace for every request and send.
 *
 * - A state is signed with SLACK_STATE_SECRET (Bolt's ClearStateStore), expires after ten minutes and is taken
 *   once: its hash is kept until used, so a replayed state is refused even on another instance.
 * - A rotating token (Slack's token rotation) is refreshed before use when it expires within
 *   REFRESH_BEFORE_MS, under a row lock, so two instances at the same moment refresh it once.
 */
export class Installations implements InstallationStore {
  readonly #o: InstallationsOptions;
  readonly #clearState: StateStore;
  readonly #oauthClient: WebClient;
  readonly #nowMs: () => number;

  constructor(options: InstallationsOptions) {
    this.#o = options;
    this.#clearState = new ClearStateStore(options.stateSecret, STATE_SECONDS);
    this.#oauthClient = new WebClient(undefined, { ...options.clientOptions, retryConfig: { retries: 0 } });
    this.#nowMs = options.nowMs ?? Date.now;
  }

  /** The state store: each state signed, and good once. */
  readonly stateStore: StateStore = {
    generateStateParam: async (installOptions: InstallURLOptions, now: Date) => {
      const state = await this.#clearState.generateStateParam(installOptions, now);
      await saveOAuthState(this.#o.db, hashOf(state), new Date(now.getTime() + STATE_SECONDS * 1000));
      return state;
    },
    verifyStateParam: async (now: Date, state: string) => {
      const options = await this.#clearState.verifyStateParam(now, state);
      if (!(await useOAuthState(this.#o.db, hashOf(state), now)))
        throw new InvalidStateError('The state was used already, or was never handed out.');
      return options;
    },
  };

  /**
   * Stores a workspace's installation, or an Enterprise Grid org-wide one (`isEnterpriseInstall`, no team) under
   * the org's enterprise ID; every workspace it covers that had been marked uninstalled resumes.
   */
  async storeInstallation(installation: Installation): Promise<void> {
    const { bot, team, enterprise } = installation;
    const orgWide = installation.isEnterpriseInstall === true;
    const key = orgWide ? enterprise?.id : team?.id;
    if (!key || !bot)
      throw new Error('only an install with a bot user, for a workspace or an org, can be stored');
    const seal = (token: string) => this.#o.cipher.seal(token, key);
    const now = new Date(this.#nowMs());
    await this.#o.db.transaction().execute(async (tx) => {
      await saveInstallation(
        tx,
        {
          teamId: key,
          isEnterpriseInstall: orgWide,
          teamName: (orgWide ? enterprise?.name : team?.name) ?? null,
          enterpriseId: enterprise?.id ?? null,
          enterpriseName: enterprise?.name ?? null,
          appId: installation.appId ?? null,
          botId: bot.id,
          botUserId: bot.userId,
          botScopes: bot.scopes,
          botToken: seal(bot.token),
          botRefreshToken: bot.refreshToken ? seal(bot.refreshToken) : null,
          botTokenExpiresAt: bot.expiresAt ? new Date(bot.expiresAt * 1000) : null,
          installerUserId: installation.user.id,
        },
        now,
      );
      // A workspace (or an org's workspaces) that had uninstalled Concert has it back: sends and jobs resume.
      if (orgWide) await markOrgInstalled(tx, key);
      else await markInstalled(tx, key);
    });
    this.#o.log.info(
      { teamId: key, orgWide, rotating: Boolean(bot.refreshToken) },
      orgWide ? 'Concert was installed across an Enterprise Grid org' : 'Concert was installed',
    );
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation<'v2', false>> {
    const bot = await this.bot(query.teamId ?? query.enterpriseId ?? '', query.enterpriseId);
    return {
      team: { id: bot.teamId },
      enterprise: bot.enterpriseId ? { id: bot.enterpriseId } : undefined,
      user: { token: undefined, scopes: undefined, id: '' },
      bot: { token: bot.botToken, scopes: [], id: bot.botId, userId: bot.botUserId },
      authVersion: 'v2',
      isEnterpriseInstall: false,
    } as Installation<'v2', false>;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const key = query.isEnterpriseInstall ? query.enterpriseId : query.teamId;
    if (key) await deleteInstallation(this.#o.db, key);
  }

  /**
   * The workspace's bot with a token good for now: its own installation's, or in an Enterprise Grid org the
   * org-wide one's (of `enterpriseId`, or of the org the workspace recorded at setup); refreshed first when it
   * rotates and expires soon. `teamId` of the answer is always the workspace's. Throws NotInstalledError when
   * neither exists; a refresh Slack refuses throws its error.
   */
  async bot(teamId: string, enterpriseId?: string): Promise<BotCredentials> {
    const row = await findInstallationFor(this.#o.db, teamId, enterpriseId);
    if (!row) throw new NotInstalledError(teamId);
    if (!this.#expiring(row)) return this.#credentials(row, teamId);
    return this.#o.db.transaction().execute(async (tx) => {
      const locked = await lockInstallation(tx, row.team_id);
      if (!locked) throw new NotInstalledError(teamId);
      // Another instance may have refreshed it while this one waited for the lock.
      if (!this.#expiring(locked)) return this.#credentials(locked, teamId);
      return this.#credentials(await this.#refresh(tx, locked), teamId);
    });
  }

  #expiring(row: InstallationRow): boolean {
    return (
      row.bot_refresh_token !== null &&
      row.bot_token_expires_at !== null &&
      row.bot_token_expires_at.getTime() - this.#nowMs() < REFRESH_BEFORE_MS
    );
  }

  async #refresh(tx: Db, row: InstallationRow): Promise<InstallationRow> {
    const { cipher, clientId, clientSecret, log } = this.#o;
    const answer = await this.#oauthClient.oauth.v2.access({
      client_id: clientId,
      client_secret: clientSecret,
      grant_type: 'refresh_token',
      refresh_token: cipher.open(row.bot_refresh_token as string, row.team_id),
    });
    const token = answer.access_token;
    const refreshToken = answer.refresh_token;
    if (!token || !refreshToken || answer.expires_in === undefined)
      throw new Error('oauth.v2.access answered a refresh without a token, refresh token and expiry');
    const now = this.#nowMs();
    const rotated = {
      botToken: cipher.seal(token, row.team_id),
      botRefreshToken: cipher.seal(refreshToken, row.team_id),
      botTokenExpiresAt: new Date(now + answer.expires_in * 1000),
    };
    await saveRotatedToken(tx, row.team_id, rotated, new Date(now));
    log.info({ teamId: row.team_id, expiresAt: rotated.botTokenExpiresAt }, 'refreshed a rotating bot token');
    return {
      ...row,
      bot_token: rotated.botToken,
      bot_refresh_token: rotated.botRefreshToken,
      bot_token_expires_at: rotated.botTokenExpiresAt,
    };
  }

  #credentials(row: InstallationRow, teamId: string): BotCredentials {
    return {
      teamId,
      enterpriseId: row.enterprise_id ?? undefined,
      botToken: this.#o.cipher.open(row.bot_token, row.team_id),
      botId: row.bot_id,
      botUserId: row.bot_user_id,
    };
  }
}
