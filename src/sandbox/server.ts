import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SANDBOX_LOOPBACK } from '../config.js';
import type { Logger } from '../logger.js';
import { COMMAND, SHORTCUT } from '../views/ids.js';
import type { Surface } from './emulator/fake-slack.js';
import { type JumpTargets, jumpTargets } from './jumps.js';
import { checkSameOrigin, type Json, PAGE_HEADERS, RefusedRequest, readJson } from './page-requests.js';
import { channelDirectory, conversations, people, thread, timeline } from './page-state.js';
import { SANDBOX_TEAM_ID, type SandboxOptions, SandboxWorkspace } from './workspace.js';

/** A mistake in what the page asked for: answered 400 with the reason, changing nothing. */
class PageRequestError extends RefusedRequest {
  constructor(message: string) {
    super(400, message);
  }
}

/**
 * The page's files sit beside this module in the source tree; a build runs from dist/ (this module's code
 * bundled in a chunk there) and reads them from the source tree of the directory it sits in.
 */
function pageDir(): string | undefined {
  const here = path.dirname(fileURLToPath(import.meta.url));
  if (existsSync(path.join(here, 'page', 'index.html'))) return path.join(here, 'page');
  for (let dir = here; ; dir = path.dirname(dir)) {
    const page = path.join(dir, 'src', 'sandbox', 'page');
    if (existsSync(path.join(page, 'index.html'))) return page;
    if (path.dirname(dir) === dir) return undefined;
  }
}
const PAGE_DIR = pageDir();

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

const SHORTCUTS = [{ callbackId: SHORTCUT.MAKE_ACTION_STEP, name: 'Make an action step' }];
const MINUTES_MAX = 60 * 24 * 31;

/** The page's named jumps: where each goes, and the job that acts on arrival (sends the prompts, closes the vote). */
const NAMED_JUMPS: Record<string, { target: keyof JumpTargets; job: string; nothing: string }> = {
  checkin: { target: 'checkin', job: 'checkins', nothing: 'No check-in is coming.' },
  proposal: { target: 'proposal', job: 'proposals', nothing: 'No proposal is open.' },
};

/**
 * The sandbox's web page and the small JSON API behind it. Every action on the page becomes what Slack would
 * send the app (a signed command, click, submission, closing, shortcut or event); the page then reads back
 * what the app did in the emulated workspace. Changes are announced over server-sent events.
 */
export class SandboxServer {
  readonly #options: SandboxOptions;
  readonly #log: Logger;
  #server: Server;
  #host = SANDBOX_LOOPBACK;
  #workspace: SandboxWorkspace | undefined;
  #starting: Promise<SandboxWorkspace> | undefined;
  #resetting: Promise<void> | undefined;
  /** Set by stop(): nothing starts after it. */
  #stopped = false;
  #problem: string | undefined;
  /** Which coalition the page is looking at: new at every start and reset, so the page can drop what it kept. */
  #run = '';
  #version = 0;
  #listeners = new Set<ServerResponse>();
  #unsubscribe: (() => void) | undefined;

  constructor(options: SandboxOptions) {
    this.#options = options;
    this.#log = options.log;
    this.#server = createServer((req, res) => {
      this.#route(req, res).catch((error: unknown) => {
        if (error instanceof RefusedRequest) {
          // The rest of a body too large is not read; the connection closes after the answer.
          if (error.status === 413) res.setHeader('connection', 'close');
          return send(res, error.status, { ok: false, error: error.message });
        }
        this.#log.error({ err: error, url: req.url }, 'sandbox page request failed');
        send(res, 500, { ok: false, error: error instanceof Error ? error.message : String(error) });
      });
    });
  }

  /**
   * Listens for the page at once, then sets the coalition up; the page shows progress meanwhile. Only this
   * computer can reach it unless `host` says otherwise.
   */
  async listen(port: number, host: string = SANDBOX_LOOPBACK): Promise<number> {
    this.#host = host;
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, resolve);
    });
    void this.#startWorkspace().catch(() => {});
    return (this.#server.address() as AddressInfo).port;
  }

  /** Resolves once the coalition is seeded and the app is answering. */
  ready(): Promise<SandboxWorkspace> {
    return this.#starting ?? this.#startWorkspace();
  }

  /** Where the page listens. */
  get address(): AddressInfo {
    return this.#server.address() as AddressInfo;
  }

  get workspace(): SandboxWorkspace | undefined {
    return this.#workspace;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const res of this.#listeners) res.end();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    // A reset or start under way ends first, so what it started is stopped here too.
    await this.#resetting?.catch(() => {});
    await this.#starting?.catch(() => {});
    const workspace = this.#workspace;
    this.#workspace = undefined;
    this.#unsubscribe?.();
    await workspace?.stop();
  }

  #startWorkspace(): Promise<SandboxWorkspace> {
    if (this.#stopped) return Promise.reject(new Error('The sandbox has stopped.'));
    this.#problem = undefined;
    this.#starting = SandboxWorkspace.start(this.#options).then(
      (workspace) => {
        this.#workspace = workspace;
        this.#run = randomUUID();
        this.#unsubscribe = workspace.fake.subscribe(() => this.#changed());
        this.#changed();
        return workspace;
      },
      (error: unknown) => {
        this.#problem = `The sandbox could not start: ${error instanceof Error ? error.message : String(error)}`;
        this.#log.error({ err: error }, 'the sandbox could not start');
        this.#changed();
        throw error;
      },
    );
    return this.#starting;
  }

  /**
   * One reset at a time, on one directory: a Reset asked for while another runs (a second tab) joins it, and
   * both end with the same fresh coalition.
   */
  #reset(): Promise<void> {
    this.#resetting ??= this.#startOver().finally(() => {
      this.#resetting = undefined;
    });
    return this.#resetting;
  }

  async #startOver(): Promise<void> {
    // The coalition being set up (at start, or by the last reset) is finished before it is taken down.
    await this.#starting?.catch(() => {});
    const old = this.#workspace;
    this.#workspace = undefined;
    this.#unsubscribe?.();
    this.#changed();
    // Stopped before the next start empties its directory.
    await old?.stop();
    if (this.#stopped) return;
    await this.#startWorkspace();
  }

  #changed(): void {
    this.#version++;
    for (const res of this.#listeners) res.write(`data: ${this.#version}\n\n`);
  }

  async #route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    checkSameOrigin(req, { host: this.#host, port: this.address.port });
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (req.method === 'GET' && !url.pathname.startsWith('/api/')) return this.#file(url.pathname, res);
    if (req.method === 'GET' && url.pathname === '/api/events') return this.#events(req, res);
    if (req.method === 'GET' && url.pathname === '/api/state') return send(res, 200, await this.#state(url));
    if (req.method === 'GET' && url.pathname.startsWith('/api/files/'))
      return this.#download(url.pathname.slice('/api/files/'.length), res);
    if (req.method === 'GET' && url.pathname.startsWith('/api/images/'))
      return this.#image(url.pathname.slice('/api/images/'.length), res);
    if (req.method !== 'POST') return send(res, 404, { ok: false, error: 'not found' });
    const body = await readJson(req);
    if (url.pathname === '/api/reset') {
      await this.#reset();
      return send(res, 200, { ok: true });
    }
    const workspace = this.#workspace;
    if (!workspace) throw new PageRequestError('The sandbox is still starting.');
    const result = await this.#act(workspace, url.pathname, body);
    this.#changed();
    send(res, 200, { ok: true, ...result });
  }

  #file(pathname: string, res: ServerResponse): void {
    const name = pathname === '/' ? 'index.html' : pathname.slice(1);
    if (!PAGE_DIR || !/^[a-z0-9-]+\.[a-z]+$/.test(name) || !existsSync(path.join(PAGE_DIR, name))) {
      send(res, 404, 'not found');
      return;
    }
    res.writeHead(200, {
      ...PAGE_HEADERS,
      'content-type': TYPES[path.extname(name)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
    });
    res.end(readFileSync(path.join(PAGE_DIR, name)));
  }

  /** A file the app shared, as a download: Slack's own link would open it the same way. */
  #download(id: string, res: ServerResponse): void {
    const file = this.#workspace?.fake.uploads.files.get(id);
    if (!file?.channel) {
      send(res, 404, { ok: false, error: 'That file is not in the sandbox.' });
      return;
    }
    const ascii = file.filename.replace(/[^\w.-]/g, '_');
    res.writeHead(200, {
      ...PAGE_HEADERS,
      'content-type': file.mimetype.startsWith('text/') ? `${file.mimetype}; charset=utf-8` : file.mimetype,
      'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
      'content-length': String(file.content.length),
      'cache-control': 'no-store',
    });
    res.end(file.content);
  }

  /** An image the app uploaded to show in a message (a chart), as Slack shows an image block's file. */
  #image(id: string, res: ServerResponse): void {
    const file = this.#workspace?.fake.uploads.files.get(id);
    if (file?.mimetype !== 'image/png') {
      send(res, 404, { ok: false, error: 'That image is not in the sandbox.' });
      return;
    }
    res.writeHead(200, {
      ...PAGE_HEADERS,
      'content-type': file.mimetype,
      'content-length': String(file.content.length),
      'cache-control': 'no-store',
    });
    res.end(file.content);
  }

  #events(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      ...PAGE_HEADERS,
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.write(`data: ${this.#version}\n\n`);
    this.#listeners.add(res);
    req.on('close', () => this.#listeners.delete(res));
  }

  async #state(url: URL): Promise<Json> {
    const workspace = this.#workspace;
    if (!workspace) return { ready: false, version: this.#version, problem: this.#problem ?? null };
    const { fake, clock } = workspace;
    const jumps = await jumpTargets(workspace.db, SANDBOX_TEAM_ID, clock.now());
    const user = url.searchParams.get('user') ?? '';
    const known = fake.users.has(user) && !fake.users.get(user)?.isBot;
    const conversation = url.searchParams.get('conversation') ?? '';
    const threadTs = url.searchParams.get('thread');
    const stack = known ? fake.modalStack(user) : [];
    return {
      ready: true,
      run: this.#run,
      version: this.#version,
      now: clock.now().toISOString(),
      jumps: {
        checkin: jumps.checkin ? { at: jumps.checkin.at.toISOString(), what: jumps.checkin.what } : null,
        proposal: jumps.proposal ? { at: jumps.proposal.at.toISOString(), what: jumps.proposal.what } : null,
      },
      botUserId: fake.botUserId,
      people: people(fake),
      commands: Object.values(COMMAND),
      shortcuts: SHORTCUTS,
      ...(known
        ? {
            me: user,
            conversations: conversations(fake, user),
            channels: channelDirectory(fake, user),
            messages: conversation && conversation !== 'home' ? timeline(fake, user, conversation) : [],
            thread: conversation && threadTs ? thread(fake, conversation, threadTs) : [],
            home: fake.homeView(user) ?? null,
            modal: stack.at(-1) ?? null,
            modalDepth: stack.length,
            modalIds: stack.map((view) => view.id),
          }
        : {}),
    };
  }

  async #act(workspace: SandboxWorkspace, route: string, body: Json): Promise<Json> {
    const { fake, requests, scheduler } = workspace;
    if (route === '/api/clock' && body.to !== undefined) {
      const jump = NAMED_JUMPS[String(body.to)];
      if (!jump) throw new PageRequestError('Jump to the next check-in or to a proposal’s close.');
      const target = (await jumpTargets(workspace.db, SANDBOX_TEAM_ID, workspace.clock.now()))[jump.target];
      if (!target) throw new PageRequestError(jump.nothing);
      await scheduler.advanceTo(target.at, jump.job);
      await workspace.concert.inFlight.settled();
      return { now: workspace.clock.now().toISOString() };
    }
    if (route === '/api/clock') {
      const minutes = Number(body.minutes);
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > MINUTES_MAX)
        throw new PageRequestError(`Jump forward by 1 to ${MINUTES_MAX} minutes.`);
      await scheduler.advance(minutes);
      await workspace.concert.inFlight.settled();
      return { now: workspace.clock.now().toISOString() };
    }
    const user = String(body.user ?? '');
    if (!fake.users.has(user) || fake.users.get(user)?.isBot)
      throw new PageRequestError('Choose who you are.');
    switch (route) {
      case '/api/send':
        return this.#send(workspace, user, body);
      case '/api/action':
        return {
          answer: await requests.blockAction(
            user,
            this.#surface(workspace, user, body),
            ...this.#element(workspace, user, body),
          ),
        };
      case '/api/submit': {
        const answer = await requests.submitView(
          user,
          this.#viewOf(workspace, user, body).id,
          body.values ?? {},
        );
        return { answer: answer.body };
      }
      case '/api/close': {
        const answer = await requests.closeView(
          user,
          this.#viewOf(workspace, user, body).id,
          body.values ?? {},
        );
        return { answer: answer?.body ?? null };
      }
      case '/api/home':
        await requests.event({ type: 'app_home_opened', user, channel: fake.dmChannelOf(user), tab: 'home' });
        return {};
      case '/api/shortcut': {
        const message = fake.message(String(body.channel), String(body.ts));
        if (!message) throw new PageRequestError('That message is gone.');
        const answer = await requests.messageShortcut(user, String(body.callbackId), {
          channel: message.channel,
          ts: message.ts,
          text: message.text,
          user: message.user,
        });
        return { answer: answer.body };
      }
      case '/api/join':
        return this.#join(workspace, user, String(body.channel), body.leave === true);
      default:
        throw new PageRequestError(`No such action: ${route}`);
    }
  }

  /** The composer: a known slash command goes to the app; anything else is a message from the person. */
  async #send(workspace: SandboxWorkspace, user: string, body: Json): Promise<Json> {
    const { fake, requests } = workspace;
    const channel = String(body.channel ?? '');
    const text = String(body.text ?? '').trim();
    if (!text) throw new PageRequestError('Type a message or a command.');
    if (!this.#canWriteIn(workspace, user, channel))
      throw new PageRequestError('Join the channel to write in it.');
    const command = /^(\/[a-z-]+)(?:\s+([\s\S]*))?$/i.exec(text);
    if (command) {
      const name = (command[1] as string).toLowerCase();
      if (!(Object.values(COMMAND) as string[]).includes(name)) {
        fake.showEphemeral(user, channel, {
          text: `${name} is not a valid command. Concert has ${Object.values(COMMAND).join(', ')}.`,
        });
        return {};
      }
      const answer = await requests.command(
        user,
        name,
        escapeMentions(workspace, escapeTyped(command[2] ?? '')),
        {
          channel,
        },
      );
      return { answer: answer.body };
    }
    const threadTs = typeof body.threadTs === 'string' && body.threadTs ? body.threadTs : undefined;
    fake.postAs(user, channel, escapeTyped(text), threadTs ? { threadTs } : {});
    return {};
  }

  #canWriteIn(workspace: SandboxWorkspace, user: string, channel: string): boolean {
    if (channel === workspace.fake.dmChannelOf(user)) return true;
    return workspace.fake.channels.get(channel)?.members.includes(user) ?? false;
  }

  /** Joining or leaving a channel is Slack's own business; the app hears of it as an event. */
  async #join(workspace: SandboxWorkspace, user: string, channelId: string, leave: boolean): Promise<Json> {
    const { fake, requests } = workspace;
    const channel = fake.channels.get(channelId);
    if (!channel || (channel.isPrivate && !channel.members.includes(user)))
      throw new PageRequestError('No such channel.');
    const members = channel.members.filter((m) => m !== user);
    fake.setMembers(channelId, leave ? members : [...members, user]);
    await requests.event({
      type: leave ? 'member_left_channel' : 'member_joined_channel',
      user,
      channel: channelId,
      channel_type: channel.isPrivate ? 'G' : 'C',
      team: requests.teamId,
    });
    return {};
  }

  /** Where the clicked element is, looked up again in the emulator rather than trusted from the page. */
  #surface(workspace: SandboxWorkspace, user: string, body: Json): Omit<Surface, 'seq'> {
    const { fake } = workspace;
    const where = body.surface ?? {};
    switch (where.kind) {
      case 'message': {
        const message = fake.message(String(where.channel), String(where.ts));
        if (!message) throw new PageRequestError('That message is gone.');
        return { kind: 'message', channel: message.channel, ts: message.ts, blocks: message.blocks ?? [] };
      }
      case 'ephemeral': {
        const ephemeral = fake.ephemerals(user).find((e) => e.responseUrl === where.responseUrl);
        if (!ephemeral) throw new PageRequestError('That message is gone.');
        return {
          kind: 'ephemeral',
          user,
          channel: ephemeral.channel,
          ts: ephemeral.ts,
          responseUrl: ephemeral.responseUrl as string,
          blocks: ephemeral.blocks ?? [],
        };
      }
      case 'modal': {
        const view = this.#viewOf(workspace, user, { viewId: where.viewId });
        return { kind: 'modal', user, viewId: view.id, blocks: view.view.blocks ?? [] };
      }
      case 'home': {
        const home = fake.homeView(user);
        if (!home) throw new PageRequestError('App Home is empty.');
        return { kind: 'home', user, viewId: home.id, blocks: home.blocks ?? [] };
      }
      default:
        throw new PageRequestError('Say where the click was.');
    }
  }

  /** The block and element clicked, with what the person chose added as Slack adds it. */
  #element(workspace: SandboxWorkspace, user: string, body: Json): [Json, Json, { values?: Json }] {
    const surface = this.#surface(workspace, user, body);
    const block = surface.blocks[Number(body.blockIndex)];
    const elements: Json[] = block
      ? block.type === 'actions'
        ? block.elements
        : [block.accessory, block.element].filter(Boolean)
      : [];
    const element = elements.find((e) => e.action_id === body.actionId);
    if (!element) throw new PageRequestError('That button or menu is no longer there.');
    const chosen: Json = {};
    for (const key of [
      'selected_option',
      'selected_options',
      'selected_user',
      'selected_users',
      'selected_conversation',
      'selected_channel',
      'selected_date',
      'selected_time',
      'value',
    ]) {
      if (body.chosen?.[key] !== undefined) chosen[key] = body.chosen[key];
    }
    const action = { ...element, ...chosen };
    // A button's value is its own; Slack sends the one the app set, never one from the person.
    if (element.type === 'button') action.value = element.value;
    return [block, action, body.values ? { values: body.values } : {}];
  }

  #viewOf(workspace: SandboxWorkspace, user: string, body: Json) {
    const view = workspace.fake.modalStack(user).find((v) => v.id === body.viewId);
    if (!view) throw new PageRequestError('That form is no longer open.');
    return view;
  }
}

/** What Slack does to what a person types: `&`, `<` and `>` arrive escaped, so typed markup stays text. */
function escapeTyped(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * What Slack does to a command's text when the command escapes mentions: `@handle` and `#channel` typed
 * by a person arrive as `<@U…|handle>` and `<#C…|name>`.
 */
function escapeMentions(workspace: SandboxWorkspace, text: string): string {
  const { fake } = workspace;
  return text
    .replace(/(^|\s)@([\w.-]+)/g, (whole, space: string, handle: string) => {
      const user = [...fake.users.values()].find((u) => u.name.toLowerCase() === handle.toLowerCase());
      return user ? `${space}<@${user.id}|${user.name}>` : whole;
    })
    .replace(/(^|\s)#([\w-]+)/g, (whole, space: string, name: string) => {
      const channel = [...fake.channels.values()].find((c) => c.name === name.toLowerCase());
      return channel ? `${space}<#${channel.id}|${channel.name}>` : whole;
    });
}

function send(res: ServerResponse, status: number, body: Json): void {
  if (res.headersSent) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    ...PAGE_HEADERS,
    'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
  });
  res.end(text);
}
