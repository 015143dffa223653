import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkMessage, checkView, imageFileIds } from './block-kit.js';
import { FileUploads } from './file-uploads.js';
import { FakeOAuth } from './oauth.js';
import { type Enforcement, Enforcer } from './rate-limits.js';

// biome-ignore lint/suspicious/noExplicitAny: arguments and views are arbitrary JSON from the app under test
type Json = any;

export interface Call {
  method: string;
  args: Record<string, Json>;
  /** The bearer token the call came with, if any. */
  token?: string;
}

export interface FakeUser {
  id: string;
  name: string;
  realName?: string;
  tz?: string;
  isBot?: boolean;
  isAdmin?: boolean;
  isOwner?: boolean;
  deleted?: boolean;
}

export interface FakeChannel {
  id: string;
  name: string;
  isPrivate?: boolean;
  members: string[];
  /** Whether Concert's bot is in the channel; public channels it can join itself. */
  botIsMember?: boolean;
  /** Archived: readable, but nothing can be posted in it and nobody can join it. */
  isArchived?: boolean;
}

export interface PostedMessage {
  channel: string;
  ts: string;
  /** Who wrote it: the app's bot user, or a person writing in the sandbox. */
  user: string;
  text: string;
  blocks?: Json[];
  thread_ts?: string;
  /** Files shared with the message, as files.completeUploadExternal shares them. */
  files?: SharedFile[];
  /** Message metadata posted with it (`event_type`, `event_payload`). */
  metadata?: Json;
  deleted?: boolean;
}

export interface SharedFile {
  id: string;
  name: string;
  title: string;
  mimetype: string;
}

export interface Ephemeral {
  user: string;
  channel: string;
  /** When it was shown, in the same form as a message's ts, so it can sit among the messages. */
  ts: string;
  text: string;
  blocks?: Json[];
  /** Set when it arrived through a response_url, so a click on it can answer there too. */
  responseUrl?: string;
}

export interface ShownView {
  id: string;
  user: string;
  view: Json;
}

export interface Rejection {
  method: string;
  problems: string[];
}

export interface FakeSlackOptions {
  botUserId?: string;
  /** Where message timestamps come from; without it they count up from a fixed second, as tests expect. */
  clock?: () => Date;
  /**
   * For a long run (the sandbox): keep only the last `records` calls, rejections, trigger IDs, response URLs
   * and ephemerals, the last `files` uploaded files, and of each view only its current surface while it is
   * open. Without it everything is kept, as tests look back at all of it.
   */
  retain?: { records: number; files: number };
  /** Enforce Slack's post rates and inject failures (rate-limits.ts); off by default. */
  enforce?: Enforcement;
}

type Failure = { status: 429; retryAfter?: number } | { status: 500 | 502 | 503 } | { error: string };

/** A queued failure and, when given, the calls it may meet (others pass it by). */
interface QueuedFailure {
  failure: Failure;
  meets?: ((call: Call) => boolean) | undefined;
}

/** A call held back until a later call is answered: see `holdNext`. */
interface Hold {
  method: string;
  after: (call: Call) => boolean;
  arrived: () => void;
  release: () => void;
  released: Promise<void>;
  held?: Call;
}

/** Something a person can see and click in: a message, an ephemeral, a modal or their App Home. */
export interface Surface {
  kind: 'message' | 'ephemeral' | 'modal' | 'home';
  user?: string;
  channel?: string;
  ts?: string;
  viewId?: string;
  responseUrl?: string;
  blocks: Json[];
  seq: number;
}

/** Fields the Web API client sends JSON-encoded inside a form body. */
const JSON_FIELDS = new Set(['blocks', 'view', 'attachments', 'metadata', 'users']);

/**
 * A stand-in for Slack's Web API on loopback. It records every call, answers the methods Concert uses the way
 * Slack does, refuses payloads real Slack would refuse (recorded in `rejections`), and can be told to fail.
 */
export class FakeSlack {
  readonly calls: Call[] = [];
  readonly rejections: Rejection[] = [];
  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<string, FakeChannel>();
  readonly botUserId: string;
  /** Files uploaded through files.getUploadURLExternal and files.completeUploadExternal. */
  readonly uploads: FileUploads;
  readonly #retain: FakeSlackOptions['retain'];
  /** Present when the fake enforces Slack's rates: what it did, for a benchmark to print. */
  readonly enforcer: Enforcer | undefined;
  #server: Server;
  #url = '';
  #ts = 1_800_000_000;
  #tsSuffix = 0;
  #clock: (() => Date) | undefined;
  #seq = 0;
  #listeners = new Set<() => void>();
  #viewSeq = 0;
  #messages: PostedMessage[] = [];
  #ephemerals: Ephemeral[] = [];
  #views = new Map<string, ShownView>();
  #homes = new Map<string, ShownView>();
  /** Each person's open modal stack, bottom first. */
  #stacks = new Map<string, string[]>();
  #surfaces: Surface[] = [];
  #usedTriggers = new Set<string>();
  #failures = new Map<string, QueuedFailure[]>();
  #holds: Hold[] = [];
  #responseTargets = new Map<string, { user: string; channel: string; ephemeral?: Ephemeral }>();
  #responseSeq = 0;
  /** Slack's OAuth side, once `enableOAuth` was called. */
  oauth: FakeOAuth | undefined;

  private constructor(
    botUserId: string,
    clock: (() => Date) | undefined,
    retain: FakeSlackOptions['retain'],
    enforce?: Enforcement,
  ) {
    this.botUserId = botUserId;
    this.enforcer = enforce ? new Enforcer(enforce) : undefined;
    this.#clock = clock;
    this.#retain = retain;
    this.uploads = new FileUploads(retain?.files);
    this.#server = createServer((req, res) => {
      this.#handle(req, res)
        .catch((error: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(error));
        })
        .finally(() => this.changed());
    });
    // As Slack's edge does, keep an idle connection open longer than a client's agent keeps it (Node's: 5 s).
    // With Node's server default of 5 s too, a call on a connection the server is just closing is lost to a
    // reset: the outbox tries it again a minute later, as it should, but a test expects it now.
    this.#server.keepAliveTimeout = 65_000;
    this.#server.headersTimeout = 66_000;
  }

  static async start(options: string | FakeSlackOptions = {}): Promise<FakeSlack> {
    const {
      botUserId = 'UBOT',
      clock,
      retain,
      enforce,
    } = typeof options === 'string' ? { botUserId: options } : options;
    const fake = new FakeSlack(botUserId, clock, retain, enforce);
    await new Promise<void>((resolve) => fake.#server.listen(0, '127.0.0.1', resolve));
    fake.#url = `http://127.0.0.1:${(fake.#server.address() as AddressInfo).port}/api/`;
    return fake;
  }

  /** Answers Slack's authorize page and oauth.v2.access for this app (see oauth.ts). */
  enableOAuth(clientId: string, clientSecret: string): FakeOAuth {
    this.oauth = new FakeOAuth(clientId, clientSecret);
    return this.oauth;
  }

  /** The Web API base URL, as `SLACK_API_URL` takes it. */
  get url(): string {
    return this.#url;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Calls `listener` after anything anyone could see may have changed; returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  changed(): void {
    for (const listener of this.#listeners) listener();
  }

  /** A new message timestamp: from the clock when there is one (or `at`), unique either way. */
  #nextTs(at?: Date): string {
    const when = at ?? this.#clock?.();
    if (!when) return `${++this.#ts}.000100`;
    this.#tsSuffix = (this.#tsSuffix + 1) % 1_000_000;
    return `${Math.floor(when.getTime() / 1000)}.${String(this.#tsSuffix).padStart(6, '0')}`;
  }

  // ---- the workspace ----

  addUser(user: FakeUser): void {
    this.users.set(user.id, user);
  }

  addChannel(channel: FakeChannel): void {
    this.channels.set(channel.id, { ...channel, members: [...channel.members] });
  }

  setMembers(channelId: string, members: string[]): void {
    const channel = this.#channel(channelId);
    channel.members = [...members];
    if (members.includes(this.botUserId)) channel.botIsMember = true;
  }

  channelMembers(channelId: string): string[] {
    return [...this.#channel(channelId).members];
  }

  /**
   * A message appears as if written by `user` (a person, or the bot for history): in a channel, a DM with
   * the app (by the person's user ID), or a thread; `at` back-dates it.
   */
  postAs(
    user: string,
    channel: string,
    text: string,
    options: { threadTs?: string; at?: Date; blocks?: Json[] } = {},
  ): PostedMessage {
    const id = channel.startsWith('U') ? this.dmChannelOf(channel) : channel;
    const message: PostedMessage = {
      channel: id,
      ts: this.#nextTs(options.at),
      user,
      text,
      ...(options.blocks ? { blocks: options.blocks } : {}),
      ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
    };
    this.#messages.push(message);
    this.#addSurface({ kind: 'message', channel: id, ts: message.ts, blocks: options.blocks ?? [] });
    this.changed();
    return message;
  }

  /** The person closed a modal (its ×, or Cancel): it and any modal pushed above it leave the stack. */
  closeModal(user: string, viewId: string): void {
    const stack = this.#stacks.get(user) ?? [];
    const at = stack.indexOf(viewId);
    if (at >= 0) stack.splice(at);
    this.#forgetClosedViews();
    this.changed();
  }

  #channel(id: string): FakeChannel {
    const channel = this.channels.get(id);
    if (!channel) throw new Error(`no channel ${id} in the fake workspace`);
    return channel;
  }

  // ---- what the app did ----

  callsTo(method: string): Call[] {
    return this.calls.filter((c) => c.method === method);
  }

  clearCalls(): void {
    this.calls.length = 0;
    this.rejections.length = 0;
  }

  /** Messages in a channel (or a DM, by the person's user ID), oldest first, as they stand now. */
  messages(channel: string): PostedMessage[] {
    const id = channel.startsWith('U') ? this.dmChannelOf(channel) : channel;
    return this.#messages.filter((m) => m.channel === id && !m.deleted);
  }

  message(channel: string, ts: string): PostedMessage | undefined {
    return this.messages(channel).find((m) => m.ts === ts);
  }

  ephemerals(user: string): Ephemeral[] {
    return this.#ephemerals.filter((e) => e.user === user);
  }

  views(): ShownView[] {
    return [...this.#views.values()];
  }

  /** The modal on top of the most recently changed stack. */
  lastView(): Json | undefined {
    return this.topModal()?.view;
  }

  topModal(user?: string): ShownView | undefined {
    const open = [...this.#surfaces]
      .reverse()
      .find((s) => s.kind === 'modal' && (!user || s.user === user) && this.#isOnTop(s.viewId as string));
    return open ? this.#views.get(open.viewId as string) : undefined;
  }

  #isOnTop(viewId: string): boolean {
    const view = this.#views.get(viewId);
    if (!view) return false;
    return this.#stacks.get(view.user)?.at(-1) === viewId;
  }

  homeView(user: string): Json | undefined {
    return this.#homes.get(user)?.view;
  }

  dmChannelOf(user: string): string {
    return `D${user.slice(1)}`;
  }

  /** Everything a person can see, newest first. */
  surfacesFor(user: string): Surface[] {
    return this.#surfaces
      .filter((s) => {
        if (s.kind === 'message') {
          const message = this.#messages.find((m) => m.channel === s.channel && m.ts === s.ts);
          if (!message || message.deleted) return false;
          if (s.channel === this.dmChannelOf(user)) return true;
          const channel = this.channels.get(s.channel as string);
          // Someone else's DM with the app is theirs alone.
          return channel ? channel.members.includes(user) : !(s.channel as string).startsWith('D');
        }
        if (s.kind === 'modal') return s.user === user && this.#isOnTop(s.viewId as string);
        if (s.kind === 'home') return s.user === user && this.#homes.get(user)?.id === s.viewId;
        return s.user === user;
      })
      .sort((a, b) => b.seq - a.seq);
  }

  /** A response_url Slack would hand the app along with a command or a click by this person. */
  responseUrl(user: string, channel: string, ephemeral?: Ephemeral): string {
    const key = String(++this.#responseSeq);
    this.#responseTargets.set(key, { user, channel, ...(ephemeral ? { ephemeral } : {}) });
    this.#trim(this.#responseTargets);
    return `${this.#url}response/${key}`;
  }

  /** Shows an ack body or response_url payload the way Slack does: only to the person who acted. */
  showEphemeral(user: string, channel: string, body: Json, responseUrl?: string): Ephemeral {
    const ephemeral: Ephemeral = {
      user,
      channel,
      ts: this.#nextTs(),
      text: String(body.text ?? ''),
      ...(body.blocks ? { blocks: body.blocks } : {}),
    };
    this.#ephemerals.push(ephemeral);
    const url = responseUrl ?? this.responseUrl(user, channel);
    ephemeral.responseUrl = url;
    const target = this.#responseTargets.get(url.split('/').at(-1) as string);
    if (target) target.ephemeral = ephemeral;
    // Slack gives an ephemeral message a ts of its own, and sends it as the container's message_ts of a click.
    this.#addSurface({
      kind: 'ephemeral',
      user,
      channel,
      ts: ephemeral.ts,
      responseUrl: url,
      blocks: body.blocks ?? [],
    });
    if (this.#retain && this.#ephemerals.length > this.#retain.records) {
      const gone = new Set(this.#ephemerals.splice(0, this.#ephemerals.length - this.#retain.records));
      const urls = new Set([...gone].map((e) => e.responseUrl));
      this.#surfaces = this.#surfaces.filter((s) => s.kind !== 'ephemeral' || !urls.has(s.responseUrl));
    }
    return ephemeral;
  }

  /** What Slack does with a view_submission answer: close, update, or push. */
  afterSubmission(user: string, viewId: string, body: Json): void {
    if (body === '' || body?.response_action === 'clear') {
      if (body?.response_action === 'clear') this.#stacks.delete(user);
      else this.#stacks.get(user)?.splice(-1);
    } else if (body.response_action === 'update') this.#showModal(user, body.view, viewId);
    else if (body.response_action === 'push') this.#showModal(user, body.view);
    this.#forgetClosedViews();
    this.changed();
  }

  /** The modals open in front of a person, bottom first. */
  modalStack(user: string): ShownView[] {
    return (this.#stacks.get(user) ?? []).flatMap((id) => this.#views.get(id) ?? []);
  }

  #addSurface(surface: Omit<Surface, 'seq'>): void {
    // Kept short, a modal or App Home shown again replaces its earlier surface rather than adding one.
    if (this.#retain && (surface.kind === 'modal' || surface.kind === 'home'))
      this.#surfaces = this.#surfaces.filter((s) => s.kind !== surface.kind || s.viewId !== surface.viewId);
    this.#surfaces.push({ ...surface, seq: ++this.#seq });
  }

  /** Kept short, a modal no longer on anyone's stack is forgotten, surface and all. */
  #forgetClosedViews(): void {
    if (!this.#retain) return;
    const open = new Set([...this.#stacks.values()].flat());
    for (const id of this.#views.keys()) if (!open.has(id)) this.#views.delete(id);
    this.#surfaces = this.#surfaces.filter((s) => s.kind !== 'modal' || open.has(s.viewId as string));
  }

  #record(call: Call): void {
    this.calls.push(call);
    this.#trim(this.calls);
  }

  #reject(rejection: Rejection): void {
    this.rejections.push(rejection);
    this.#trim(this.rejections);
  }

  /** Drops the oldest entries beyond what is retained; insertion order is age for arrays, sets and maps. */
  #trim(records: unknown[] | Set<unknown> | Map<unknown, unknown>): void {
    const limit = this.#retain?.records;
    if (limit === undefined) return;
    if (Array.isArray(records)) {
      if (records.length > limit) records.splice(0, records.length - limit);
      return;
    }
    for (const key of records.keys()) {
      if (records.size <= limit) break;
      records.delete(key);
    }
  }

  // ---- failures on demand ----

  /**
   * The next call to `method` fails this way; queue several to fail several. With `meets`, only the next call
   * it picks fails (a DM to one person, say), whatever other calls to `method` come first.
   */
  failNext(method: string, failure: Failure, meets?: (call: Call) => boolean): void {
    const list = this.#failures.get(method) ?? [];
    list.push({ failure, meets });
    this.#failures.set(method, list);
  }

  /** Takes the first failure queued for this call's method that may meet it. */
  #failureFor(call: Call): Failure | undefined {
    const list = this.#failures.get(call.method);
    const index = list?.findIndex((queued) => !queued.meets || queued.meets(call)) ?? -1;
    if (!list || index < 0) return undefined;
    return list.splice(index, 1)[0]?.failure;
  }

  /**
   * The next call to `method` takes effect, and is answered, only once a later call that `after` picks has
   * been: two requests reaching Slack in the opposite order to the one they were sent in (a slow network, a
   * retry after a 429). `arrived` resolves when the held call comes in.
   */
  holdNext(method: string, after: (call: Call) => boolean): { arrived: Promise<void> } {
    let arrived = () => {};
    const came = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.#holds.push({ method, after, arrived, release, released });
    return { arrived: came };
  }

  /** Holds the call back, when a hold waits for its method, until that hold's `after` call is answered. */
  async #holdBack(call: Call): Promise<void> {
    const hold = this.#holds.find((h) => h.method === call.method && !h.held);
    if (!hold) return;
    hold.held = call;
    hold.arrived();
    await hold.released;
    this.#holds.splice(this.#holds.indexOf(hold), 1);
  }

  /** Lets the held calls that waited for this one go on. */
  #releaseAfter(call: Call): void {
    for (const hold of this.#holds) if (hold.held && hold.held !== call && hold.after(call)) hold.release();
  }

  // ---- HTTP ----

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const bytes = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
    });
    const raw = bytes.toString('utf8');
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path.startsWith('/api/upload/')) {
      const id = path.slice('/api/upload/'.length);
      const received = this.uploads.receive(id, bytes, String(req.headers['content-type'] ?? ''));
      send(res, received ? 200 : 404, received ? 'OK' : 'no such upload');
      return;
    }
    if (path.startsWith('/api/response/')) {
      this.#answerResponseUrl(path.slice('/api/response/'.length), JSON.parse(raw || '{}'), res);
      return;
    }
    if (path === '/oauth/v2/authorize' && this.oauth) {
      const page = this.oauth.authorize(new URL(req.url ?? '/', 'http://x').searchParams);
      if (page.location) res.setHeader('location', page.location);
      send(res, page.status, page.body ?? '');
      return;
    }
    const method = path.replace(/^\/api\//, '');
    const args = parseArgs(raw, String(req.headers['content-type'] ?? ''));
    const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    const call: Call = { method, args, ...(bearer ? { token: bearer } : {}) };
    this.#record(call);
    await this.#holdBack(call);
    const failure = this.#failureFor(call);
    if (failure) {
      if ('error' in failure) return send(res, 200, { ok: false, error: failure.error });
      if (failure.status === 429) {
        res.setHeader('retry-after', String(failure.retryAfter ?? 0));
        return send(res, 429, { ok: false, error: 'ratelimited' });
      }
      return send(res, failure.status, 'upstream trouble');
    }
    if (method === 'oauth.v2.access' && this.oauth) return send(res, 200, this.oauth.access(args));
    if (!bearer?.startsWith('xox')) {
      return send(res, 200, { ok: false, error: 'not_authed' });
    }
    const issued = this.oauth?.check(bearer);
    if (issued && 'error' in issued) return send(res, 200, { ok: false, error: issued.error });
    if (method === 'auth.test' && issued)
      return send(res, 200, {
        ok: true,
        user_id: this.botUserId,
        bot_id: 'B0001',
        team_id: issued.teamId,
        team: issued.teamName,
      });
    const verdict =
      this.enforcer && method === 'chat.postMessage'
        ? this.enforcer.judge(String(args.channel ?? ''))
        : undefined;
    if (verdict?.kind === 'limited') {
      res.setHeader('retry-after', String(verdict.retryAfter));
      return send(res, 429, { ok: false, error: 'ratelimited' });
    }
    if (verdict?.kind === 'fail' && !verdict.after) return send(res, verdict.status, 'upstream trouble');
    const answer = this.#answer(method, args);
    if (verdict?.kind === 'fail') return send(res, verdict.status, 'upstream trouble');
    if (answer.ok === false && answer.error === 'invalid_blocks') {
      this.#reject({ method, problems: answer.problems });
    }
    send(res, 200, answer);
    this.#releaseAfter(call);
  }

  #answerResponseUrl(key: string, body: Json, res: ServerResponse): void {
    const target = this.#responseTargets.get(key);
    const call: Call = { method: 'response_url', args: body };
    this.#record(call);
    // `failNext('response_url', …)`: Slack's side of a response_url failing (only a status: it is no Web API).
    const failure = this.#failureFor(call);
    if (failure) {
      send(res, 'status' in failure ? failure.status : 500, 'upstream trouble');
      return;
    }
    if (!target) {
      send(res, 404, 'no such response_url');
      return;
    }
    // Deleting the message a click came from needs nothing else.
    const problems = body.delete_original === true ? [] : this.#checkMessage(body);
    if (problems.length > 0) {
      this.#reject({ method: 'response_url', problems });
      send(res, 400, 'invalid_blocks');
      return;
    }
    if (body.delete_original && target.ephemeral) {
      const i = this.#ephemerals.indexOf(target.ephemeral);
      if (i >= 0) this.#ephemerals.splice(i, 1);
      this.#surfaces = this.#surfaces.filter((s) => s.responseUrl !== target.ephemeral?.responseUrl);
    } else if (body.replace_original && target.ephemeral) {
      target.ephemeral.text = String(body.text ?? '');
      target.ephemeral.blocks = body.blocks;
      const surface = this.#surfaces.find((s) => s.responseUrl === target.ephemeral?.responseUrl);
      if (surface) surface.blocks = body.blocks ?? [];
    } else {
      this.showEphemeral(target.user, target.channel, body, `${this.#url}response/${key}`);
    }
    send(res, 200, 'ok');
  }

  #answer(method: string, args: Json): Json {
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: this.botUserId, bot_id: 'B0001', team_id: 'T0001', team: 'Coalition' };
      case 'users.info': {
        const user = this.users.get(args.user);
        if (!user) return { ok: false, error: 'user_not_found' };
        return { ok: true, user: slackUser(user) };
      }
      case 'conversations.members': {
        const channel = this.#visibleChannel(args.channel);
        if (!channel) return { ok: false, error: 'channel_not_found' };
        const limit = Math.min(Number(args.limit ?? 100), 1000);
        const start = Number(args.cursor || 0);
        const page = channel.members.slice(start, start + limit);
        const next = start + limit < channel.members.length ? String(start + limit) : '';
        return { ok: true, members: page, response_metadata: { next_cursor: next } };
      }
      case 'conversations.info': {
        const channel = this.#visibleChannel(args.channel);
        if (!channel) return { ok: false, error: 'channel_not_found' };
        return { ok: true, channel: slackChannel(channel, this.botUserId) };
      }
      case 'conversations.join': {
        const channel = this.#visibleChannel(args.channel);
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (channel.isPrivate) return { ok: false, error: 'method_not_supported_for_channel_type' };
        if (channel.isArchived) return { ok: false, error: 'is_archived' };
        if (!channel.members.includes(this.botUserId)) channel.members.push(this.botUserId);
        channel.botIsMember = true;
        return { ok: true, channel: slackChannel(channel, this.botUserId) };
      }
      case 'conversations.open': {
        const user = String(args.users ?? '').split(',')[0] ?? '';
        if (!this.users.has(user)) return { ok: false, error: 'user_not_found' };
        return { ok: true, channel: { id: this.dmChannelOf(user) } };
      }
      case 'chat.postMessage':
        return this.#postMessage(args);
      case 'conversations.history':
      case 'conversations.replies':
        return this.#history(method, args);
      case 'chat.postEphemeral':
        return this.#postEphemeral(args);
      case 'chat.update': {
        const message = this.#messages.find(
          (m) => m.channel === args.channel && m.ts === args.ts && !m.deleted,
        );
        if (!message) return { ok: false, error: 'message_not_found' };
        const problems = this.#checkMessage({ text: args.text ?? message.text, blocks: args.blocks });
        if (problems.length > 0) return { ok: false, error: 'invalid_blocks', problems };
        if (args.text !== undefined) message.text = args.text;
        if (args.blocks !== undefined) message.blocks = args.blocks;
        const surface = this.#surfaces.find(
          (s) => s.kind === 'message' && s.channel === message.channel && s.ts === message.ts,
        );
        if (surface) surface.blocks = message.blocks ?? [];
        return { ok: true, channel: message.channel, ts: message.ts, text: message.text };
      }
      case 'chat.delete': {
        const message = this.#messages.find(
          (m) => m.channel === args.channel && m.ts === args.ts && !m.deleted,
        );
        if (!message) return { ok: false, error: 'message_not_found' };
        message.deleted = true;
        return { ok: true, channel: message.channel, ts: message.ts };
      }
      case 'files.getUploadURLExternal':
        return this.uploads.start(args, this.#url);
      case 'files.completeUploadExternal':
        return this.#completeUpload(args);
      case 'chat.getPermalink': {
        const message = this.#messages.find((m) => m.channel === args.channel && m.ts === args.message_ts);
        if (!message) return { ok: false, error: 'message_not_found' };
        return {
          ok: true,
          channel: message.channel,
          permalink: `https://coalition.slack.com/archives/${message.channel}/p${message.ts.replace('.', '')}`,
        };
      }
      case 'views.open':
      case 'views.push': {
        if (!args.trigger_id) return { ok: false, error: 'invalid_arguments' };
        if (this.#usedTriggers.has(args.trigger_id)) return { ok: false, error: 'exchanged_trigger_id' };
        const user = triggerUser(args.trigger_id);
        if (method === 'views.push' && !this.#stacks.get(user)?.length)
          return { ok: false, error: 'not_found' };
        if ((this.#stacks.get(user)?.length ?? 0) >= 3 && method === 'views.push') {
          return { ok: false, error: 'push_limit_reached' };
        }
        const problems = checkView(args.view);
        if (problems.length > 0) return { ok: false, error: 'invalid_blocks', problems };
        this.#usedTriggers.add(args.trigger_id);
        this.#trim(this.#usedTriggers);
        if (method === 'views.open') this.#stacks.set(user, []);
        const shown = this.#showModal(user, args.view);
        this.#forgetClosedViews();
        return { ok: true, view: shown.view };
      }
      case 'views.update': {
        const shown = this.#views.get(args.view_id);
        if (!shown) return { ok: false, error: 'not_found' };
        if (args.hash && args.hash !== shown.view.hash) return { ok: false, error: 'hash_conflict' };
        const problems = checkView(args.view);
        if (problems.length > 0) return { ok: false, error: 'invalid_blocks', problems };
        return { ok: true, view: this.#showModal(shown.user, args.view, shown.id).view };
      }
      case 'views.publish': {
        if (!this.users.has(args.user_id)) return { ok: false, error: 'user_not_found' };
        const problems = checkView(args.view);
        if (problems.length > 0) return { ok: false, error: 'invalid_blocks', problems };
        const id = `VHOME${args.user_id}`;
        const shown = { id, user: args.user_id, view: { ...args.view, id, hash: `h${++this.#viewSeq}` } };
        this.#homes.set(args.user_id, shown);
        this.#addSurface({ kind: 'home', user: args.user_id, viewId: id, blocks: args.view.blocks });
        return { ok: true, view: shown.view };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  #showModal(user: string, view: Json, replaceId?: string): ShownView {
    const id = replaceId ?? `V${String(++this.#viewSeq).padStart(6, '0')}`;
    const shown = { id, user, view: { ...view, id, hash: `h${++this.#viewSeq}`, state: { values: {} } } };
    this.#views.set(id, shown);
    const stack = this.#stacks.get(user) ?? [];
    if (!stack.includes(id)) stack.push(id);
    this.#stacks.set(user, stack);
    this.#addSurface({ kind: 'modal', user, viewId: id, blocks: view.blocks });
    return shown;
  }

  #visibleChannel(id: string): FakeChannel | undefined {
    const channel = this.channels.get(id);
    if (!channel) return undefined;
    if (channel.isPrivate && !channel.botIsMember && !channel.members.includes(this.botUserId))
      return undefined;
    return channel;
  }

  #resolveChannel(id: string): { id: string; error?: string } {
    if (id.startsWith('U'))
      return this.users.has(id) ? { id: this.dmChannelOf(id) } : { id, error: 'channel_not_found' };
    if (id.startsWith('D')) return { id };
    const channel = this.#visibleChannel(id);
    if (!channel) return { id, error: 'channel_not_found' };
    if (channel.isArchived) return { id, error: 'is_archived' };
    if (!channel.botIsMember && !channel.members.includes(this.botUserId))
      return { id, error: 'not_in_channel' };
    return { id };
  }

  /** Block Kit's rules, and each image shown by `slack_file.id` an image uploaded here (else Slack cannot fetch it). */
  #checkMessage(args: Json): string[] {
    const problems = checkMessage(args);
    for (const id of imageFileIds(args.blocks)) {
      const file = this.uploads.files.get(id);
      if (!file || file.content.length === 0) problems.push(`image ${id}: no such file was uploaded`);
      else if (!file.mimetype.startsWith('image/'))
        problems.push(`image ${id}: ${file.mimetype} is not an image`);
    }
    return problems;
  }

  #postMessage(args: Json): Json {
    const target = this.#resolveChannel(String(args.channel ?? ''));
    if (target.error) return { ok: false, error: target.error };
    const problems = this.#checkMessage(args);
    if (problems.length > 0) return { ok: false, error: 'invalid_blocks', problems };
    const ts = this.#nextTs();
    const message: PostedMessage = {
      channel: target.id,
      ts,
      user: this.botUserId,
      text: String(args.text ?? ''),
      ...(args.blocks ? { blocks: args.blocks } : {}),
      ...(args.thread_ts ? { thread_ts: String(args.thread_ts) } : {}),
      ...(args.metadata ? { metadata: args.metadata } : {}),
    };
    this.#messages.push(message);
    this.#addSurface({ kind: 'message', channel: target.id, ts, blocks: args.blocks ?? [] });
    return { ok: true, channel: target.id, ts, message: { text: message.text, ts } };
  }

  /**
   * A conversation's messages (or a thread's: its parent and replies) newer than `oldest`, newest first for
   * history and oldest first for replies, a page at a time; metadata only with `include_all_metadata`.
   */
  #history(method: string, args: Json): Json {
    const id = String(args.channel ?? '');
    if (!id.startsWith('D') && !this.#visibleChannel(id)) return { ok: false, error: 'channel_not_found' };
    const oldest = Number(args.oldest ?? 0);
    const replies = method === 'conversations.replies';
    const found = this.#messages.filter(
      (m) =>
        m.channel === id &&
        !m.deleted &&
        Number(m.ts) > oldest &&
        (replies ? m.ts === args.ts || m.thread_ts === args.ts : !m.thread_ts),
    );
    if (!replies) found.reverse();
    const limit = Math.min(Number(args.limit ?? 100), 1000);
    const start = Number(args.cursor || 0);
    const page = found.slice(start, start + limit).map((m) => ({
      type: 'message',
      user: m.user,
      text: m.text,
      ts: m.ts,
      ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
      ...(m.metadata && String(args.include_all_metadata) === 'true' ? { metadata: m.metadata } : {}),
    }));
    const next = start + limit < found.length ? String(start + limit) : '';
    return { ok: true, messages: page, has_more: next !== '', response_metadata: { next_cursor: next } };
  }

  /** Completes uploads; shared in a conversation, they arrive there as one message, with the comment as its text. */
  #completeUpload(args: Json): Json {
    const target = args.channel_id ? this.#resolveChannel(String(args.channel_id)) : undefined;
    if (target?.error) return { ok: false, error: target.error };
    const answer = this.uploads.complete(args, target?.id);
    if (!answer.ok || !target || !answer.files) return answer;
    const ts = this.#nextTs();
    this.#messages.push({
      channel: target.id,
      ts,
      user: this.botUserId,
      text: String(args.initial_comment ?? ''),
      files: answer.files.map((f) => ({ ...f })),
      ...(args.thread_ts ? { thread_ts: String(args.thread_ts) } : {}),
    });
    this.#addSurface({ kind: 'message', channel: target.id, ts, blocks: [] });
    return answer;
  }

  #postEphemeral(args: Json): Json {
    const target = this.#resolveChannel(String(args.channel ?? ''));
    if (target.error) return { ok: false, error: target.error };
    const channel = this.channels.get(target.id);
    if (channel && !channel.members.includes(args.user)) return { ok: false, error: 'user_not_in_channel' };
    const problems = this.#checkMessage(args);
    if (problems.length > 0) return { ok: false, error: 'invalid_blocks', problems };
    const ephemeral = this.showEphemeral(String(args.user), target.id, args);
    return { ok: true, message_ts: ephemeral.ts };
  }
}

/** Trigger IDs the driver mints carry the acting user, as `trig.<user>.<n>`. */
function triggerUser(triggerId: string): string {
  return triggerId.split('.')[1] ?? 'UNKNOWN';
}

/** A user as Slack describes one in users.info and in a `user_change` event. */
export function slackUser(user: FakeUser): Json {
  return {
    id: user.id,
    name: user.name,
    real_name: user.realName ?? user.name,
    tz: user.tz ?? 'America/New_York',
    is_bot: user.isBot ?? false,
    is_admin: user.isAdmin ?? false,
    is_owner: user.isOwner ?? false,
    deleted: user.deleted ?? false,
    profile: { real_name: user.realName ?? user.name, display_name: user.name },
  };
}

function slackChannel(channel: FakeChannel, botUserId: string): Json {
  return {
    id: channel.id,
    name: channel.name,
    is_channel: !channel.isPrivate,
    is_group: false,
    is_private: channel.isPrivate ?? false,
    is_archived: channel.isArchived ?? false,
    is_member: channel.botIsMember ?? channel.members.includes(botUserId),
    num_members: channel.members.length,
  };
}

function parseArgs(raw: string, contentType: string): Record<string, Json> {
  if (contentType.includes('application/json')) return JSON.parse(raw || '{}');
  const args: Record<string, Json> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = JSON_FIELDS.has(key) ? safeJson(value) : value;
  }
  return args;
}

function safeJson(value: string): Json {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function send(res: ServerResponse, status: number, body: Json): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' });
  res.end(text);
}
