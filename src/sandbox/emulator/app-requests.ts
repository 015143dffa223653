import { createHmac } from 'node:crypto';
import type { FakeSlack, Surface } from './fake-slack.js';

// biome-ignore lint/suspicious/noExplicitAny: request and response bodies are arbitrary JSON
type Json = any;

export interface Answer {
  status: number;
  /** The parsed JSON body, or '' when the app answered with an empty 200. */
  body: Json;
  triggerId: string;
  /** For a view submission: the view it submitted. */
  viewId?: string;
}

export interface Redelivery {
  retryNum?: number;
  retryReason?: string;
}

let triggers = 0;

/** Signs a request body the way Slack does (`v0=` HMAC-SHA256 of `v0:timestamp:body`). */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/**
 * The other half of Slack: what it sends the app. Slash commands, clicks, modal submissions and closings,
 * shortcuts and events, each correctly signed and shaped as Slack shapes them, posted to the running app;
 * what the app answers in its ack lands in the emulator as Slack would show it.
 */
export class AppRequests {
  readonly appUrl: string;
  readonly fake: FakeSlack;
  readonly teamId: string;
  /** Set for a workspace of an Enterprise Grid org where Concert is installed org-wide. */
  readonly enterpriseId: string | undefined;
  #secret: string;
  #settle: () => Promise<void>;
  #events = 0;

  /**
   * `settle` waits for the app's work after its ack; with it, each request returns once the app has done
   * everything the request started, as a person would see it a moment later.
   */
  constructor(options: {
    appUrl: string;
    signingSecret: string;
    fake: FakeSlack;
    teamId: string;
    enterpriseId?: string;
    settle?: () => Promise<void>;
  }) {
    this.appUrl = options.appUrl;
    this.fake = options.fake;
    this.teamId = options.teamId;
    this.enterpriseId = options.enterpriseId;
    this.#secret = options.signingSecret;
    this.#settle = options.settle ?? (async () => {});
  }

  /** The emulator reads the acting person back out of the trigger ID when the app opens a modal with it. */
  static triggerFor(user: string): string {
    return `trig.${user}.${++triggers}`;
  }

  /** Posts a raw body with the given headers: for tests of the signature check itself. */
  async send(body: string, contentType: string, headers: Record<string, string>): Promise<Answer> {
    const response = await fetch(`${this.appUrl}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...headers },
      body,
    });
    const text = await response.text();
    await this.#settle();
    return { status: response.status, body: parseBody(text), triggerId: '' };
  }

  async #signed(body: string, contentType: string, redelivery: Redelivery = {}): Promise<Answer> {
    // Slack signs with its own wall clock, which the app checks against its own: never a simulated time.
    const timestamp = Math.floor(Date.now() / 1000);
    return this.send(body, contentType, {
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(this.#secret, timestamp, body),
      ...(redelivery.retryNum ? { 'x-slack-retry-num': String(redelivery.retryNum) } : {}),
      ...(redelivery.retryReason ? { 'x-slack-retry-reason': redelivery.retryReason } : {}),
    });
  }

  async #interaction(payload: Json, redelivery?: Redelivery): Promise<Answer> {
    const org = this.enterpriseId
      ? {
          enterprise: { id: this.enterpriseId, name: this.enterpriseId },
          is_enterprise_install: true,
          team: { ...payload.team, enterprise_id: this.enterpriseId },
        }
      : {};
    const body = new URLSearchParams({ payload: JSON.stringify({ ...payload, ...org }) }).toString();
    return this.#signed(body, 'application/x-www-form-urlencoded', redelivery);
  }

  #user(user: string) {
    return { id: user, username: this.fake.users.get(user)?.name ?? user, team_id: this.teamId };
  }

  #channelName(channel: string): string {
    return this.fake.channels.get(channel)?.name ?? 'directmessage';
  }

  /** A slash command typed by `user`; an ack body with text is shown to them as Slack shows it. */
  async command(
    user: string,
    command: string,
    text: string,
    options: { channel?: string; triggerId?: string } & Redelivery = {},
  ): Promise<Answer> {
    const channel = options.channel ?? 'CGENERAL';
    const triggerId = options.triggerId ?? AppRequests.triggerFor(user);
    const responseUrl = this.fake.responseUrl(user, channel);
    const body = new URLSearchParams({
      token: 'legacy-verification-token',
      team_id: this.teamId,
      team_domain: 'coalition',
      channel_id: channel,
      channel_name: this.#channelName(channel),
      user_id: user,
      user_name: this.fake.users.get(user)?.name ?? user,
      command,
      text,
      api_app_id: 'A0001',
      ...(this.enterpriseId
        ? { enterprise_id: this.enterpriseId, is_enterprise_install: 'true' }
        : { is_enterprise_install: 'false' }),
      response_url: responseUrl,
      trigger_id: triggerId,
    }).toString();
    const answer = await this.#signed(body, 'application/x-www-form-urlencoded', options);
    if (answer.status === 200 && answer.body && typeof answer.body === 'object' && answer.body.text) {
      this.fake.showEphemeral(user, channel, answer.body, responseUrl);
    }
    return { ...answer, triggerId };
  }

  /** An Events API callback wrapping `event`. */
  async event(event: Json, options: { eventId?: string } & Redelivery = {}): Promise<Answer> {
    const eventId =
      options.eventId ??
      `Ev${String(++this.#events).padStart(8, '0')}${Math.random().toString(36).slice(2, 6)}`;
    const body = JSON.stringify({
      token: 'legacy-verification-token',
      team_id: this.teamId,
      api_app_id: 'A0001',
      event: { event_ts: `${Date.now() / 1000}`, ...event },
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      ...(this.enterpriseId ? { enterprise_id: this.enterpriseId } : {}),
      // An org-wide install's authorization is the org's: no team, as Slack sends it.
      authorizations: [
        this.enterpriseId
          ? {
              enterprise_id: this.enterpriseId,
              team_id: null,
              user_id: this.fake.botUserId,
              is_bot: true,
              is_enterprise_install: true,
            }
          : { team_id: this.teamId, user_id: this.fake.botUserId, is_bot: true },
      ],
    });
    return this.#signed(body, 'application/json', options);
  }

  /**
   * A `block_actions` interaction: `user` used `action` (the element as sent, plus what they chose) in
   * `block` on a surface they can see.
   */
  async blockAction(
    user: string,
    surface: Omit<Surface, 'seq'>,
    block: Json,
    action: Json,
    options: { triggerId?: string; values?: Json } & Redelivery = {},
  ): Promise<Answer> {
    const triggerId = options.triggerId ?? AppRequests.triggerFor(user);
    const channel = surface.channel;
    const responseUrl =
      surface.kind === 'ephemeral'
        ? surface.responseUrl
        : surface.kind === 'message'
          ? this.fake.responseUrl(user, channel as string)
          : undefined;
    const shown = surface.viewId ? this.fake.views().find((v) => v.id === surface.viewId)?.view : undefined;
    const view = shown ?? (surface.kind === 'home' ? this.fake.homeView(user) : undefined);
    const payload = {
      type: 'block_actions',
      user: this.#user(user),
      api_app_id: 'A0001',
      token: 'legacy-verification-token',
      team: { id: this.teamId, domain: 'coalition' },
      trigger_id: triggerId,
      container:
        surface.kind === 'modal' || surface.kind === 'home'
          ? { type: 'view', view_id: surface.viewId }
          : {
              type: 'message',
              message_ts: surface.ts ?? '0',
              channel_id: channel,
              is_ephemeral: surface.kind === 'ephemeral',
            },
      ...(channel ? { channel: { id: channel, name: this.#channelName(channel) } } : {}),
      ...(surface.kind === 'message'
        ? {
            message: {
              ts: surface.ts,
              text: this.fake.message(channel as string, surface.ts as string)?.text,
              blocks: surface.blocks,
            },
          }
        : {}),
      ...(view ? { view: options.values ? { ...view, state: { values: options.values } } : view } : {}),
      ...(responseUrl ? { response_url: responseUrl } : {}),
      actions: [{ ...action, block_id: block.block_id ?? 'b', action_ts: `${Date.now() / 1000}` }],
    };
    return { ...(await this.#interaction(payload, options)), triggerId };
  }

  /** A message shortcut on a message in a channel. */
  async messageShortcut(
    user: string,
    callbackId: string,
    message: { channel: string; ts: string; text: string; user?: string },
    options: { triggerId?: string } & Redelivery = {},
  ): Promise<Answer> {
    const triggerId = options.triggerId ?? AppRequests.triggerFor(user);
    const payload = {
      type: 'message_action',
      callback_id: callbackId,
      trigger_id: triggerId,
      action_ts: `${Date.now() / 1000}`,
      team: { id: this.teamId, domain: 'coalition' },
      user: { id: user, name: this.fake.users.get(user)?.name ?? user },
      channel: { id: message.channel, name: this.#channelName(message.channel) },
      message: { type: 'message', ts: message.ts, text: message.text, user: message.user ?? user },
      message_ts: message.ts,
      response_url: this.fake.responseUrl(user, message.channel),
      token: 'legacy-verification-token',
    };
    return { ...(await this.#interaction(payload, options)), triggerId };
  }

  /** A global shortcut, from the shortcuts menu. */
  async globalShortcut(user: string, callbackId: string): Promise<Answer> {
    const triggerId = AppRequests.triggerFor(user);
    const payload = {
      type: 'shortcut',
      callback_id: callbackId,
      trigger_id: triggerId,
      action_ts: `${Date.now() / 1000}`,
      team: { id: this.teamId, domain: 'coalition' },
      user: { id: user, username: this.fake.users.get(user)?.name ?? user, team_id: this.teamId },
      token: 'legacy-verification-token',
    };
    return { ...(await this.#interaction(payload)), triggerId };
  }

  /** Submits a modal with the values its inputs hold; the emulator then does what the answer says. */
  async submitView(user: string, viewId: string, values: Json): Promise<Answer> {
    const shown = this.fake.views().find((v) => v.id === viewId);
    if (!shown) throw new Error(`no view ${viewId}`);
    const payload = {
      type: 'view_submission',
      team: { id: this.teamId, domain: 'coalition' },
      user: this.#user(user),
      api_app_id: 'A0001',
      token: 'legacy-verification-token',
      trigger_id: AppRequests.triggerFor(user),
      view: { ...shown.view, state: { values } },
      response_urls: [],
    };
    const answer = await this.#interaction(payload);
    if (answer.status === 200) this.fake.afterSubmission(user, viewId, answer.body);
    return { ...answer, viewId };
  }

  /**
   * The person closed a modal. Slack tells the app only when the view asked (`notify_on_close`); either way
   * the modal is gone. Returns the app's answer when it was told.
   */
  async closeView(user: string, viewId: string, values: Json = {}): Promise<Answer | undefined> {
    const shown = this.fake.views().find((v) => v.id === viewId);
    if (!shown) throw new Error(`no view ${viewId}`);
    this.fake.closeModal(user, viewId);
    if (!shown.view.notify_on_close) return undefined;
    const payload = {
      type: 'view_closed',
      team: { id: this.teamId, domain: 'coalition' },
      user: this.#user(user),
      api_app_id: 'A0001',
      token: 'legacy-verification-token',
      view: { ...shown.view, state: { values } },
      is_cleared: false,
    };
    return { ...(await this.#interaction(payload)), viewId };
  }
}

function parseBody(text: string): Json {
  if (text === '') return '';
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
