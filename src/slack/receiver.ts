import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type App,
  type CustomRoute,
  HTTPModuleFunctions,
  HTTPReceiver,
  type ReceiverEvent,
  verifySlackRequest,
} from '@slack/bolt';
import { boltLogger, type Logger } from '../logger.js';
import { LATE_NOTICE, UNHANDLED_NOTICE } from '../views/request-notices.js';
import { answeredAtOnce, RequestAnswer, requestAnswers } from './answers.js';
import { type EventJournal, JOURNAL_REPLAY, type JournalEntry } from './event-journal.js';
import { checkBody, parseRequestBody, timestampAcceptable } from './request-checks.js';

const EVENTS_PATH = '/slack/events';

/** Slack waits 3 s for an answer; what is not answered by this time is answered by the receiver. */
export const ANSWER_WITHIN_MS = 2_500;

/** Thrown when an Events API delivery could not be kept: Slack gets no 200, so it delivers it again. */
export class EventNotKept extends Error {
  constructor(cause: unknown) {
    super('could not keep the event to apply it later', { cause });
    this.name = 'EventNotKept';
  }
}

export interface ReceiverOptions {
  signingSecret: string;
  customRoutes: CustomRoute[];
  log: Logger;
  /** Where Events API deliveries wait until they are applied; see EventJournal. */
  journal: EventJournal;
  /** Work after an answer (a notice sent by response URL) is tracked here, so a shutdown waits for it. */
  track: <T>(work: Promise<T>) => Promise<T>;
  answerWithinMs?: number;
  /** Slack's clock is the wall clock: request timestamps are checked against it, never a simulated one. */
  nowMs?: () => number;
}

function isEvent(body: Record<string, unknown>): boolean {
  return body.event !== undefined;
}

/** Posts an ephemeral notice to an interaction's response URL, when it has one. */
async function tellByResponseUrl(body: Record<string, unknown>, text: string, log: Logger): Promise<void> {
  const url = body.response_url;
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) return;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) log.warn({ status: response.status }, 'the response URL refused a notice');
  } catch (error) {
    log.warn({ err: error }, 'could not post a notice to the response URL');
  }
}

/**
 * Bolt's HTTP receiver, with Slack's rules held where Bolt is lenient and every request answered in time:
 *
 * - The request timestamp must be whole seconds within five minutes either way (Bolt takes any number not
 *   older than that), and the signature must match, before anything else is read: else 401. This is the
 *   only check of the signature (Bolt's own is off). Slack's unsigned SSL check is answered 200 here, and
 *   whatever came with it goes no further.
 * - A body that is not what Slack sends for its kind (null, a number, `actions: null`, no user, a
 *   `view_submission` without a view…) is refused with 400 before Bolt reads it, where it would throw.
 * - A click, a shortcut or a closed modal is answered as soon as it is read (`answeredAtOnce`): its answer
 *   carries nothing, so it waits for none of Concert's work. What follows still runs once.
 * - A request no listener answers is answered as soon as the listeners are done, and any request not
 *   answered within `answerWithinMs` then: where a person waits, with a notice saying what happened.
 * - An Events API delivery is written to the journal before Slack gets its 200 (Bolt acknowledges events
 *   before any listener runs) and removed once applied; if a listener failed (the database is down), it
 *   stays there and `replayJournal` applies it later. If it cannot be written, Slack gets a 503 and
 *   delivers it again. So an event that Slack was told arrived is never lost.
 */
export class ConcertReceiver extends HTTPReceiver {
  readonly #options: ReceiverOptions;
  readonly #answerWithinMs: number;
  readonly #nowMs: () => number;
  readonly #replaying = new Set<string>();
  #sequence = 0;
  #app: App | undefined;

  constructor(options: ReceiverOptions) {
    const { log } = options;
    super({
      signingSecret: options.signingSecret,
      // Every request Bolt would check (a POST to EVENTS_PATH) is checked by #screen first, more strictly;
      // checking it again parsed the body and computed its HMAC a second time.
      signatureVerification: false,
      customRoutes: options.customRoutes,
      logger: boltLogger(log),
      // Never a 500: an error is logged and the person told by the error handler; Slack gets its answer.
      processEventErrorHandler: async ({ error, response }) => {
        if (response.headersSent) return false;
        if (error instanceof EventNotKept) {
          log.error({ err: error.cause }, 'an event could not be kept; Slack will deliver it again');
          response.writeHead(503);
        } else {
          log.error({ err: error }, 'a request failed before it was answered');
          response.writeHead(200);
        }
        response.end();
        return true;
      },
      unhandledRequestHandler: ({ response }) => {
        if (!response.headersSent) {
          response.writeHead(200);
          response.end();
        }
      },
    });
    this.#options = options;
    this.#answerWithinMs = options.answerWithinMs ?? ANSWER_WITHIN_MS;
    this.#nowMs = options.nowMs ?? Date.now;
    const bolt = this.requestListener;
    this.requestListener = (req, res) => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (req.method !== 'POST' || path !== EVENTS_PATH) return bolt(req, res);
      this.#screen(req, res).then(
        (pass) => {
          if (pass) bolt(req, res);
        },
        (error: unknown) => {
          log.error({ err: error }, 'could not read a request');
          if (!res.headersSent) HTTPModuleFunctions.buildNoBodyResponse(res, 400);
        },
      );
    };
  }

  override init(app: App): void {
    this.#app = app;
    super.init({ processEvent: (event: ReceiverEvent) => this.#process(app, event) } as unknown as App);
  }

  /** Checks what Bolt does not, before Bolt reads the request; false when it has been answered here. */
  async #screen(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const { log } = this.#options;
    let raw: string;
    try {
      raw = (await HTTPModuleFunctions.bufferIncomingMessage(req)).rawBody.toString();
    } catch (error) {
      const tooLarge = HTTPModuleFunctions.isRawBodyError(error) && error.statusCode === 413;
      HTTPModuleFunctions.buildNoBodyResponse(res, tooLarge ? 413 : 400);
      return false;
    }
    const contentType = req.headers['content-type'];
    // Slack's SSL check is unsigned: it is answered here, and nothing sent beside it reaches Bolt, which (its
    // own check of the signature being off) would run a command or payload smuggled with it.
    if (contentType === 'application/x-www-form-urlencoded' && /(^|&)ssl_check=1(&|$)/.test(raw)) {
      HTTPModuleFunctions.buildNoBodyResponse(res, 200);
      return false;
    }
    const timestamp = req.headers['x-slack-request-timestamp'];
    const signature = req.headers['x-slack-signature'];
    try {
      if (!timestampAcceptable(timestamp, this.#nowMs()))
        throw new Error(
          `the request timestamp ${JSON.stringify(timestamp)} is not whole seconds within 5 minutes`,
        );
      if (typeof signature !== 'string') throw new Error('the request has no signature');
      verifySlackRequest({
        signingSecret: this.#options.signingSecret,
        body: raw,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': Number(timestamp) },
        nowMilliseconds: this.#nowMs(),
      });
    } catch (error) {
      log.warn({ reason: (error as Error).message }, 'refused a request that is not verifiably from Slack');
      HTTPModuleFunctions.buildNoBodyResponse(res, 401);
      return false;
    }
    let check: ReturnType<typeof checkBody>;
    try {
      check = checkBody(parseRequestBody(raw, contentType));
    } catch (error) {
      check = { ok: false, problem: `the body is not ${contentType} (${(error as Error).message})` };
    }
    if (!check.ok) {
      log.warn({ problem: check.problem }, 'refused a signed request whose body is not what Slack sends');
      HTTPModuleFunctions.buildNoBodyResponse(res, 400);
      return false;
    }
    return true;
  }

  /** Runs one request through the app; see the class comment for what is answered when. */
  async #process(app: App, event: ReceiverEvent, journalName?: string): Promise<RequestAnswer> {
    const body = event.body as Record<string, unknown>;
    const answer = new RequestAnswer(body, event.ack, this.#options.log);
    requestAnswers.set(body, answer);
    if (!answeredAtOnce(body)) return this.#handle(app, event, answer, journalName);
    // What follows an answer sent at once is in flight before Slack has the answer, so a shutdown (and a
    // test waiting for the app to settle) waits for it.
    let begin = () => {};
    const handled = this.#options.track(
      new Promise<void>((resolve) => {
        begin = resolve;
      }).then(() => this.#handle(app, event, answer, journalName)),
    );
    try {
      await answer.sendEmpty();
    } finally {
      begin();
    }
    return handled;
  }

  async #handle(
    app: App,
    event: ReceiverEvent,
    answer: RequestAnswer,
    journalName: string | undefined,
  ): Promise<RequestAnswer> {
    const { log, journal, track } = this.#options;
    const body = answer.body;
    let kept = journalName;
    if (isEvent(body) && kept === undefined) {
      try {
        kept = await journal.keep({
          body,
          retryNum: event.retryNum,
          retryReason: event.retryReason,
          attempts: 0,
          receivedAt: Date.now(),
          sequence: ++this.#sequence,
        });
      } catch (error) {
        throw new EventNotKept(error);
      }
      this.#replaying.add(kept);
    }
    const answerUnanswered = async (text: string) => {
      if (answer.answered) return;
      if (!(await answer.tellInAnswer(text))) await track(tellByResponseUrl(body, text, log));
    };
    const deadline = setTimeout(() => {
      if (answer.answered) return;
      log.warn(
        { type: body.type, command: body.command },
        'answered a request its listener did not answer in time',
      );
      void answerUnanswered(LATE_NOTICE);
    }, this.#answerWithinMs);
    try {
      await app.processEvent({ ...event, ack: answer.ack });
    } catch (error) {
      answer.markFailed();
      log.error({ err: error }, 'a request failed outside its listeners');
    } finally {
      clearTimeout(deadline);
    }
    if (!answer.answered && isEvent(body)) {
      // Bolt failed before its own ack; the event is in the journal, so Slack may be told it arrived.
      await answer.ack();
    } else if (!answer.answered) {
      // A failed request's person was told by the error handler, where it knew who they were.
      if (answer.failed) await answer.ack();
      else {
        log.info({ type: body.type, command: body.command }, 'answered a request no listener takes');
        await answerUnanswered(UNHANDLED_NOTICE);
      }
    }
    if (kept !== undefined) await this.#settleJournal(kept, answer.failed);
    return answer;
  }

  async #settleJournal(name: string, failed: boolean): Promise<void> {
    const { journal, log } = this.#options;
    try {
      if (!failed) await journal.done(name);
      else log.warn({ name }, 'an event could not be applied; it is kept to be applied later');
    } catch (error) {
      log.error({ err: error, name }, 'could not clear an applied event from the journal');
    } finally {
      this.#replaying.delete(name);
    }
  }

  /**
   * Applies the events kept in the journal in the order they arrived, each as a redelivery of itself, applied
   * even if its delivery was recorded (see JOURNAL_REPLAY). One that keeps failing once the database answers is
   * given up after `maxAttempts`, moved aside to `failed/` and logged as an error. Call it when the database
   * answers. Resolves to how many were applied.
   *
   * An event that arrives while older ones wait here is applied at once, so it may overtake them; the daily
   * reconcile of memberships and channels corrects what that gets wrong, as it does for Slack's own
   * deliveries, which come in no guaranteed order either.
   */
  async replayJournal(maxAttempts = 20): Promise<number> {
    const { journal, log } = this.#options;
    const app = this.#app;
    if (!app) return 0;
    const waiting: { name: string; entry: JournalEntry }[] = [];
    for (const name of await journal.names()) {
      if (this.#replaying.has(name)) continue;
      try {
        waiting.push({ name, entry: await journal.read(name) });
      } catch (error) {
        log.error({ err: error, name }, 'an event in the journal cannot be read; set aside in failed/');
        await journal.giveUp(name).catch(() => {});
      }
    }
    waiting.sort((a, b) => a.entry.receivedAt - b.entry.receivedAt || a.entry.sequence - b.entry.sequence);
    let applied = 0;
    for (const { name, entry } of waiting) {
      if (this.#replaying.has(name)) continue;
      this.#replaying.add(name);
      const answer = await this.#process(
        app,
        {
          body: entry.body,
          ack: async () => {},
          retryNum: (entry.retryNum ?? 0) + 1,
          retryReason: JOURNAL_REPLAY,
          customProperties: {},
        },
        name,
      );
      if (!answer.failed) {
        applied++;
        continue;
      }
      const attempts = entry.attempts + 1;
      if (attempts >= maxAttempts) {
        log.error({ name, attempts }, 'gave up applying an event; it is kept in failed/');
        await journal.giveUp(name).catch(() => {});
      } else await journal.keep({ ...entry, attempts }).catch(() => {});
    }
    return applied;
  }
}
