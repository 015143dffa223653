import { parse as parseQuery } from 'node:querystring';
import { z } from 'zod';

/**
 * Slack's rule for a request's age: its `x-slack-request-timestamp` is whole seconds since the epoch and lies
 * within five minutes of the receiver's clock, either way (Slack, "Verifying requests from Slack"). Bolt checks
 * only that it is not older; a timestamp in the future or with a fraction would let a captured request be
 * replayed later.
 */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

/** Whether the header value is a whole number of seconds within the window around `nowMs`. */
export function timestampAcceptable(header: string | string[] | undefined, nowMs: number): boolean {
  if (typeof header !== 'string' || !/^[0-9]{1,12}$/.test(header)) return false;
  return Math.abs(Number(header) - Math.floor(nowMs / 1000)) <= MAX_CLOCK_SKEW_SECONDS;
}

/** The body as Bolt reads it: a form's `payload` field is JSON, any other form is its fields, else JSON. */
export function parseRequestBody(raw: string, contentType: string | undefined): unknown {
  if (contentType === 'application/x-www-form-urlencoded') {
    const fields = parseQuery(raw);
    return typeof fields.payload === 'string' ? JSON.parse(fields.payload) : { ...fields };
  }
  return JSON.parse(raw);
}

const id = z.string().min(1);
const record = z.object({}).loose();
const user = z.object({ id }).loose();
const team = z.object({ id }).loose().nullable();
const channel = z.object({ id }).loose().optional();
/** What Bolt reads of every interaction before any listener runs. */
const interaction = {
  user,
  team,
  channel,
  enterprise: record.optional(),
  response_urls: z.array(z.object({ response_url: z.string() }).loose()).optional(),
  function_data: record.optional(),
};

/**
 * The least of each kind of request that Bolt and Concert read without checking: what is missing or of the
 * wrong type here would throw inside Bolt (a 500, or for a body that is not an object a crash of the process).
 * The kinds are told apart as Bolt tells them (`getTypeAndConversation`): by which field is present, in the
 * same order. Fields Concert's listeners read with their own checks are left to them.
 */
const shapes = {
  event: z.object({
    team_id: id,
    event_id: id,
    authorizations: z.array(record).optional(),
    event: z
      .object({
        type: z.string(),
        // Bolt looks inside these when they are present, so they must be objects, never null.
        user: z.union([z.string(), record]).optional(),
        channel: z.union([z.string(), record]).optional(),
        item: record.optional(),
        subteam: record.optional(),
      })
      .loose(),
  }),
  command: z.object({
    command: z.string().startsWith('/'),
    team_id: id,
    user_id: id,
    channel_id: id,
    trigger_id: z.string(),
    text: z.string().optional(),
  }),
  options: z.object({ ...interaction, action_id: z.string() }),
  action: z.object({
    ...interaction,
    actions: z.array(z.object({ action_id: z.string(), block_id: z.string().optional() }).loose()).min(1),
    // A view a button sits in: App Home has no callback_id.
    view: z.object({ id, callback_id: z.string().optional() }).loose().optional(),
  }),
  shortcut: z.union([
    z.object({
      ...interaction,
      type: z.literal('shortcut'),
      callback_id: z.string(),
      trigger_id: z.string(),
    }),
    z.object({
      ...interaction,
      type: z.literal('message_action'),
      callback_id: z.string(),
      trigger_id: z.string(),
      channel: z.object({ id }).loose(),
      message: z.object({ ts: z.string() }).loose(),
    }),
  ]),
  view: z.object({
    ...interaction,
    view: z
      .object({ id, callback_id: z.string().optional(), blocks: z.array(z.unknown()).optional() })
      .loose(),
  }),
};

const inChannel = z.object({ channel: id }).loose();
/** What Concert's event listeners read of the events they take, by event type. */
const eventShapes: Record<string, z.ZodType> = {
  member_joined_channel: z.object({ user: id, channel: id }).loose(),
  member_left_channel: z.object({ user: id, channel: id }).loose(),
  app_home_opened: z.object({ user: id, tab: z.string().optional() }).loose(),
  channel_archive: inChannel,
  group_archive: inChannel,
  channel_deleted: inChannel,
  group_deleted: inChannel,
  channel_left: inChannel,
  group_left: inChannel,
  channel_unarchive: inChannel,
  group_unarchive: inChannel,
  channel_rename: z.object({ channel: z.object({ id }).loose() }).loose(),
  group_rename: z.object({ channel: z.object({ id }).loose() }).loose(),
  user_change: z.object({ user: z.object({ id }).loose() }).loose(),
  tokens_revoked: z.object({ tokens: z.object({ bot: z.array(z.string()).optional() }).loose() }).loose(),
};

/** Which of Bolt's kinds a body is, or undefined for one Bolt passes over. */
function kindOf(body: Record<string, unknown>): keyof typeof shapes | undefined {
  if (body.event !== undefined) return 'event';
  if (body.command !== undefined) return 'command';
  if (body.name !== undefined || body.type === 'block_suggestion') return 'options';
  if (body.actions !== undefined || body.type === 'dialog_submission') return 'action';
  if (body.type === 'shortcut' || body.type === 'message_action') return 'shortcut';
  if (body.type === 'view_submission' || body.type === 'view_closed') return 'view';
  return undefined;
}

export type BodyCheck = { ok: true; body: Record<string, unknown> } | { ok: false; problem: string };

function describeType(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

/**
 * Whether a verified request's body has the shape its kind must have. Kinds Bolt does not know pass through
 * (no listener takes them, and the receiver answers them at once); a body that is not an object never does.
 */
export function checkBody(body: unknown): BodyCheck {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { ok: false, problem: `the body is ${describeType(body)}, not an object` };
  const fields = body as Record<string, unknown>;
  if (fields.ssl_check !== undefined || fields.type === 'url_verification') return { ok: true, body: fields };
  const kind = kindOf(fields);
  if (!kind) return { ok: true, body: fields };
  const result = shapes[kind].safeParse(fields);
  if (!result.success) return { ok: false, problem: problemOf(kind, result.error) };
  const event = fields.event as { type: string } | undefined;
  const eventResult = kind === 'event' && event ? eventShapes[event.type]?.safeParse(event) : undefined;
  if (eventResult && !eventResult.success)
    return { ok: false, problem: problemOf(event?.type ?? 'event', eventResult.error) };
  return { ok: true, body: fields };
}

function problemOf(kind: string, error: z.ZodError): string {
  const issue = error.issues[0];
  return `${kind}: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'malformed'}`;
}
