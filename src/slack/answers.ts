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
 * The one answer Slack waits for on one request (its ack), shared by whoever gives it first: a listener, the
 * error handler, or the receiver when nobody did in time. A second answer is dropped, never thrown: Bolt
 * throws on a second ack, and a listener that was overtaken by the deadline must not fail on that.
 */
export class RequestAnswer {
  #answered = false;
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
    await this.send(response);
  };

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
