import { WebClient, type WebClientOptions } from '@slack/web-api';
import { type MessageSender, SendError } from '../services/delivery.js';
import { isTokenGone } from '../services/installation.js';
import { NotInstalledError } from './installations.js';
import type { PostLimits, SharedRate } from './pacing.js';
import { forgetSends, paceSends, webSender } from './web-sender.js';

/** A workspace's Web API client and its bot user. */
export interface WorkspaceSlack {
  client: WebClient;
  botUserId: string | undefined;
}

/** Where a workspace's bot token comes from: the one token, or the workspace's installation. */
export type BotOf = (teamId: string) => Promise<{ botToken: string; botUserId: string | undefined }>;

/**
 * The Web API client of each workspace, made once per installation (by team ID) and made anew only when its
 * token changed (a rotated token): every scheduled send and read for a workspace goes with its own token.
 * `forTeam` throws NotInstalledError for a workspace without an installation.
 */
export class WorkspaceClients {
  readonly #botOf: BotOf;
  readonly #options: WebClientOptions;
  readonly #cache = new Map<string, { token: string; slack: WorkspaceSlack }>();
  /** The single-token mode's one client. */
  #fixed: WebClient | undefined;
  #pace: { limits: PostLimits | undefined; shared: (teamId: string) => SharedRate | undefined } | undefined;

  constructor(botOf: BotOf, options: WebClientOptions) {
    this.#botOf = botOf;
    this.#options = options;
  }

  /** One client for every workspace: the single-token mode. */
  static single(client: WebClient, botUserId: () => string | undefined): WorkspaceClients {
    const clients = new WorkspaceClients(
      async () => ({ botToken: client.token ?? '', botUserId: botUserId() }),
      {},
    );
    clients.#fixed = client;
    return clients;
  }

  async forTeam(teamId: string): Promise<WorkspaceSlack> {
    const bot = await this.#botOf(teamId);
    if (this.#fixed) return { client: this.#fixed, botUserId: bot.botUserId };
    const cached = this.#cache.get(teamId);
    if (cached?.token === bot.botToken) return cached.slack;
    // A new installation, or its token rotated: the old token's client and pacing go with it.
    if (cached) forgetSends(cached.slack.client);
    const client = new WebClient(bot.botToken, this.#options);
    const slack = { client, botUserId: bot.botUserId };
    this.#cache.set(teamId, { token: bot.botToken, slack });
    if (this.#pace) paceSends(client, this.#pace.limits, this.#pace.shared(teamId));
    return slack;
  }

  /**
   * From now on every workspace's posts are paced to `limits` (web-sender.ts), each workspace's rate shared
   * through `shared(teamId)` when given. The continuous sender asks for this when it starts.
   */
  paceSends(limits: PostLimits | undefined, shared: (teamId: string) => SharedRate | undefined): void {
    this.#pace = { limits, shared };
    if (this.#fixed) paceSends(this.#fixed, limits, shared(''));
    for (const [teamId, { slack }] of this.#cache) paceSends(slack.client, limits, shared(teamId));
  }

  /**
   * A sender for the workspace's queued messages, through its own client, found when the first call comes.
   * A workspace without an installation, or whose rotating token Slack would not refresh, fails the send as a
   * token gone (the workspace is then marked uninstalled and its queue stopped); any other trouble finding
   * the token (the database) leaves the message to be tried again.
   */
  senderFor(teamId: string): MessageSender {
    const sender = async () => {
      try {
        return webSender((await this.forTeam(teamId)).client);
      } catch (error) {
        if (error instanceof NotInstalledError) throw new SendError('not_installed', true);
        const code = (error as { data?: { error?: string } }).data?.error;
        if (code && isTokenGone(code)) throw new SendError(code, true);
        throw new SendError('installation_unavailable', false);
      }
    };
    return {
      post: async (...args) => (await sender()).post(...args),
      update: async (...args) => (await sender()).update(...args),
      upload: async (...args) => {
        const found = await sender();
        if (!found.upload) throw new SendError('upload_unavailable', false);
        return found.upload(...args);
      },
      find: async (...args) => {
        const found = await sender();
        return found.find ? found.find(...args) : undefined;
      },
    };
  }
}
