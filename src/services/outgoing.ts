import type { Db } from '../db/database.js';
import { enqueue, messageRow } from '../db/outbox.js';
import type { NewOutboxRow, OutboxRow } from '../db/schema.js';
import type { MessageData, MessageName, Messages } from '../messages/index.js';

export type { MessageName } from '../messages/index.js';

/** A message as it leaves: the notification text and the blocks shown (Block Kit, built by a view). */
export interface Rendered {
  text: string;
  blocks: readonly unknown[];
}

/** Who hears of a message of this kind that Slack refuses for good. */
export type Told =
  /** Nobody else can act on it: the refusal is recorded on the row and logged with what it means. */
  | 'nobody'
  /**
   * A channel message: if Slack says Concert cannot post there, the backbone channel is told once what to
   * do (or, for the backbone channel itself, whoever set Concert up: channel-reach.ts).
   */
  | 'backbone';

/**
 * One kind of message Concert sends, declared once (src/messages/): its once-key, how it is rendered, whether
 * it is still wanted when its turn comes, and what a permanent failure means. A token Slack no longer takes
 * stops every kind alike (installation.ts).
 */
export interface MessageKind<D> {
  /**
   * The once-key: with the kind and the workspace, unique in the outbox, so queuing the same message again
   * (another tick, another instance, a redelivered click) queues nothing.
   */
  key(data: D): string;
  /** The message, from a pure view; a kind may render to several messages (a long digest), each keyed `key:n`. */
  render(data: D): Rendered | readonly Rendered[];
  /** Asked just before sending: false cancels the row unsent. Absent: always wanted. */
  stillWanted?(db: Db, row: OutboxRow, now: Date): Promise<boolean>;
  /** What a permanent failure leaves undone, in words for the log, and who is told. */
  failure: { means: string; told: Told };
}

/** Declares a kind, its data's type taken from `render`. */
export function messageKind<D>(kind: MessageKind<D>): MessageKind<D> {
  return kind;
}

let registry: Messages | undefined;

/**
 * Hands the services the registry of message kinds (src/messages/index.ts), once, from whatever composes
 * Concert (main.ts, the sandbox, tests' and benchmarks' setup). Services name a kind and give its data;
 * only the registry knows the views, so no service imports one.
 */
export function useMessages(messages: Messages): void {
  registry = messages;
}

/** The declaration of a kind, or undefined for a kind no module declares (a row queued by an older version). */
export function declaredKind(kind: string): MessageKind<never> | undefined {
  const messages = registryOrThrow();
  return Object.hasOwn(messages, kind) ? (messages[kind as MessageName] as MessageKind<never>) : undefined;
}

function registryOrThrow(): Messages {
  if (!registry) throw new Error('no message registry: call useMessages(MESSAGES) where Concert is composed');
  return registry;
}

function declared<K extends MessageName>(kind: K): MessageKind<MessageData[K]> {
  const found = declaredKind(kind);
  // Types keep a service from naming an undeclared kind; this keeps a cast or plain JavaScript from it too.
  if (!found) throw new Error(`message kind "${kind}" is not declared in src/messages/`);
  return found as MessageKind<MessageData[K]>;
}

/** What to send: a declared kind and its data, to a user (DM) or channel, with where it goes in Slack. */
export interface Outgoing<K extends MessageName> {
  teamId: string;
  kind: K;
  data: MessageData[K];
  /** A user ID (their DM with the app) or a channel ID. */
  to: string;
  /** The action step it is about, so a change to the step finds it. */
  stepId?: number;
  /** Posted as a reply in this message's thread. */
  threadTs?: string;
  /** Not a new message: replaces this one's text and blocks. */
  updateTs?: string;
  /** Due no sooner than this (default: `now`). */
  dueAt?: Date;
}

/** The message(s) of a kind for this data, as its view renders them. */
export function renderMessage<K extends MessageName>(kind: K, data: MessageData[K]): Rendered[] {
  const rendered = declared(kind).render(data);
  return Array.isArray(rendered) ? [...rendered] : [rendered as Rendered];
}

/** The outbox rows for a message, rendered now: what a person sees is fixed when it is queued. */
function outgoingRows<K extends MessageName>(message: Outgoing<K>, now: Date): NewOutboxRow[] {
  const kind = declared(message.kind);
  const key = kind.key(message.data);
  const rendered = kind.render(message.data);
  const parts = Array.isArray(rendered) ? (rendered as Rendered[]) : [rendered as Rendered];
  return parts.map((part, i) => ({
    ...messageRow(
      message.teamId,
      message.kind,
      Array.isArray(rendered) ? `${key}:${i + 1}` : key,
      message.to,
      part,
      now,
    ),
    ...(message.stepId !== undefined ? { action_step_id: message.stepId } : {}),
    ...(message.threadTs !== undefined ? { thread_ts: message.threadTs } : {}),
    ...(message.updateTs !== undefined ? { update_ts: message.updateTs } : {}),
    ...(message.dueAt !== undefined ? { next_attempt_at: message.dueAt } : {}),
  }));
}

/**
 * Queues a message of a declared kind, once: the same kind and key again in the workspace queues nothing.
 * With `queued` (`kind/key`s read as queued already, as queuedKeysAbout gives them), a message of one part
 * among them is neither rendered nor tried. Returns the rows queued now (none when it was queued before).
 */
export async function queueMessages<K extends MessageName>(
  db: Db,
  message: Outgoing<K>,
  now: Date,
  options: { queued?: ReadonlySet<string> } = {},
): Promise<OutboxRow[]> {
  const key = declared(message.kind).key(message.data);
  if (options.queued?.has(`${message.kind}/${key}`)) return [];
  const queued: OutboxRow[] = [];
  for (const row of outgoingRows(message, now)) {
    const inserted = await enqueue(db, row);
    if (inserted) queued.push(inserted);
  }
  return queued;
}

/** queueMessages for a kind that renders to one message: its row, or undefined when it was queued before. */
export async function queueMessage<K extends MessageName>(
  db: Db,
  message: Outgoing<K>,
  now: Date,
  options: { queued?: ReadonlySet<string> } = {},
): Promise<OutboxRow | undefined> {
  return (await queueMessages(db, message, now, options))[0];
}

/** The once-key of a kind's message for this data, to look the message up (sent, or queued). */
export function messageKey<K extends MessageName>(kind: K, data: MessageData[K]): string {
  return declared(kind).key(data);
}
