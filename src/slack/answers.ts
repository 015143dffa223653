import type { Logger } from '../logger.js';

type Body = Record<string, unknown>;
type Ack = (response?: unknown) => Promise<void>;

/** The first input block of a submitted view, under which a form-wide message can be shown. */
function firstInputBlock(body: Body): string | undefined {
  const blocks = (body.view as { blocks?: unknown } | undefined)?.blocks;
  if (!Array.isArray(blocks)) return undefined;
  const input = blocks.find(
    (b): b is { block_id: string } =>
      typeof b === 'object' && b !== null && b.type === 'input' && typeof b.block_id === 'string',
  );
  return input?.block_id;
}

/**
 * The requests whose answer carries nothing (Slack's docs, "Acknowledgment response": a click, a shortcut, a
 * closed modal): Slack gets it as soon as the request is read, before any of Concert's work, even the
 * redelivery's record. A command, a submitted form and a request for options keep their answer for the
 * listener, which may put a reply, field errors or the options in it. Events are acknowledged by Bolt itself
 * before any middleware.
 */
const ANSWERED_EMPTY = new Set(['block_actions', 'shortcut', 'message_action', 'view_closed']);

/** Whether Slack is sent its answer to this request as soon as it is read. */
export function answeredAtOnce(body: Body): boolean {
  return typeof body.type === 'string' && ANSWERED_EMPTY.has(body.type);
}

/**
 * The one answer Slack waits for on one request (its ack), shared by whoever gives it first: a listener, the
 * error handler, or the receiver when nobody did in time. A second answer is dropped, never thrown: Bolt
 * throws on a second ack, and a listener that was overtaken by the deadline must not fail on that.
 *
 * For a request `answeredAtOnce`, Slack has its empty answer from `sendEmpty` before the listeners run; what
 * `answered` then tracks is whether a listener took it (else the person is told nothing was done).
 */
export class RequestAnswer {
  #answered = false;
  #sent = false;
  #failed = false;

  constructor(
    readonly body: Body,
    private readonly send: Ack,
    private readonly log: Logger,
  ) {}

  get answered(): boolean {
    return this.#answered;
  }

  /** Whether a listener failed on this request (the error handler says so). */
  get failed(): boolean {
    return this.#failed;
  }

  markFailed(): void {
    this.#failed = true;
  }

  /** The `ack` listeners get. */
  readonly ack: Ack = async (response) => {
    if (this.#answered) {
      this.log.warn({ type: this.body.type }, 'a listener answered a request that was already answered');
      return;
    }
    this.#answered = true;
    if (this.#sent) return;
    this.#sent = true;
    await this.send(response);
  };

  /** Sends Slack the empty answer now, whoever answers the request later. */
  async sendEmpty(): Promise<void> {
    if (this.#sent) return;
    this.#sent = true;
    await this.send();
  }

  /**
   * Answers, if nobody has yet, with `text` where Slack shows an answer: a slash command's ephemeral reply,
   * or an error under a submitted form's first field. True when the person was told; false when the request
   * was only acknowledged (a click, a shortcut) or had been answered already, so the caller tells them
   * another way if it can.
   */
  async tellInAnswer(text: string): Promise<boolean> {
    if (this.#answered) return false;
    if (typeof this.body.command === 'string') {
      await this.ack({ response_type: 'ephemeral', text });
      return true;
    }
    if (this.body.type === 'view_submission') {
      const blockId = firstInputBlock(this.body);
      await this.ack(blockId ? { response_action: 'errors', errors: { [blockId]: text } } : undefined);
      return blockId !== undefined;
    }
    if (this.body.type === 'block_suggestion') await this.ack({ options: [] });
    else await this.ack();
    return false;
  }
}

/** Each request's answer, by the body object Bolt hands to listeners and to the error handler. */
export const requestAnswers = new WeakMap<object, RequestAnswer>();
