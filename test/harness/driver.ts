import { type Answer, AppRequests, type Redelivery } from '../../src/sandbox/emulator/app-requests.js';
import type { Surface } from './fake-slack.js';

export type { Answer, Redelivery };

// biome-ignore lint/suspicious/noExplicitAny: request and response bodies are arbitrary JSON
type Json = any;

interface Found {
  surface: Surface;
  block: Json;
  element: Json;
}

/**
 * Speaks to the running app the way Slack does (the signed requests are the sandbox's own, in
 * AppRequests), and finds what to click or fill in what the app sent to the fake Slack.
 */
export class SlackDriver extends AppRequests {
  /** Finds a button by its text in what `user` can see (newest first) and clicks it. */
  async clickButton(
    user: string,
    text: string,
    options: {
      triggerId?: string;
      in?: Surface['kind'];
      channel?: string;
      nth?: number;
      near?: string;
    } & Redelivery = {},
  ): Promise<Answer> {
    const found = this.findButton(user, text, options);
    return this.#click(user, found, found.element, options);
  }

  /** Whether `user` can see a button with this text anywhere right now. */
  canSee(user: string, text: string, options: { in?: Surface['kind']; channel?: string } = {}): boolean {
    try {
      this.findButton(user, text, options);
      return true;
    } catch {
      return false;
    }
  }

  findButton(
    user: string,
    text: string,
    options: { in?: Surface['kind']; channel?: string; nth?: number; near?: string } = {},
  ): Found {
    const matches: Found[] = [];
    for (const surface of this.fake.surfacesFor(user)) {
      if (options.in && surface.kind !== options.in) continue;
      if (options.channel && surface.channel !== options.channel) continue;
      const blocks: Json[] = surface.blocks ?? [];
      for (const [index, block] of blocks.entries()) {
        // `near`: the button's own section, or the block just above its row of buttons, mentions it.
        const label = block.type === 'actions' ? blocks[index - 1] : block;
        if (options.near && !JSON.stringify(label?.text ?? label?.elements ?? '').includes(options.near))
          continue;
        const elements = block.type === 'actions' ? block.elements : block.accessory ? [block.accessory] : [];
        for (const element of elements) {
          if (element.type === 'button' && element.text?.text === text)
            matches.push({ surface, block, element });
        }
      }
    }
    const found = matches[options.nth ?? 0];
    if (!found) throw new Error(`${user} sees no button “${text}”`);
    return found;
  }

  /** Picks an option from an overflow menu or a select in a message or view block, by the option's text. */
  async chooseOption(
    user: string,
    optionText: string,
    options: { in?: Surface['kind'] } = {},
  ): Promise<Answer> {
    for (const surface of this.fake.surfacesFor(user)) {
      if (options.in && surface.kind !== options.in) continue;
      for (const block of surface.blocks ?? []) {
        const elements = block.type === 'actions' ? block.elements : block.accessory ? [block.accessory] : [];
        for (const element of elements) {
          const option = (element.options ?? []).find((o: Json) => o.text?.text === optionText);
          if (option) {
            return this.#click(
              user,
              { surface, block, element },
              { ...element, selected_option: option },
              {},
            );
          }
        }
      }
    }
    throw new Error(`${user} sees no option “${optionText}”`);
  }

  #click(user: string, found: Found, action: Json, options: { triggerId?: string } & Redelivery) {
    return this.blockAction(user, found.surface, found.block, action, options);
  }

  /** The modal open in front of `user` (or the most recent one), ready to fill in. */
  modal(user?: string): ModalForm {
    const shown = this.fake.topModal(user);
    if (!shown) throw new Error(user ? `${user} has no modal open` : 'no modal is open');
    return new ModalForm(this, shown.id);
  }

  /** Field errors from a view_submission answer, keyed by the label of the input they belong to. */
  fieldErrors(answer: Answer): Record<string, string> {
    if (answer.body?.response_action !== 'errors') return {};
    const views = this.fake.views().filter((v) => !answer.viewId || v.id === answer.viewId);
    const blocks: Json[] = views.flatMap((v) => v.view.blocks ?? []);
    const result: Record<string, string> = {};
    for (const [blockId, message] of Object.entries(answer.body.errors as Record<string, string>)) {
      const label = blocks.find((b) => b.block_id === blockId)?.label?.text ?? blockId;
      result[label] = message;
    }
    return result;
  }
}

/** A modal's inputs, addressed by their labels, with the values a person would leave in them. */
export class ModalForm {
  readonly viewId: string;
  #driver: SlackDriver;
  #values: Record<string, Record<string, Json>> = {};

  constructor(driver: SlackDriver, viewId: string) {
    this.#driver = driver;
    this.viewId = viewId;
    for (const block of this.#blocks()) {
      if (block.type !== 'input') continue;
      this.#set(block, initialValue(block.element));
    }
  }

  get view(): Json {
    return this.#driver.fake.views().find((v) => v.id === this.viewId)?.view;
  }

  #blocks(): Json[] {
    return this.view?.blocks ?? [];
  }

  labels(): string[] {
    return this.#blocks()
      .filter((b) => b.type === 'input')
      .map((b) => b.label.text);
  }

  /**
   * An input by its label. Where a label repeats (each step's “New date”), name the input it follows:
   * 'Step A › New date, if it moves' is the first “New date, if it moves” after the input labelled “Step A”.
   */
  #input(label: string): Json {
    const [anchor, wanted] = label.includes(' › ') ? label.split(' › ') : [undefined, label];
    const blocks = this.#blocks();
    const from =
      anchor === undefined ? 0 : blocks.findIndex((b) => b.type === 'input' && b.label?.text === anchor) + 1;
    const block =
      from > 0 || anchor === undefined
        ? blocks.slice(from).find((b) => b.type === 'input' && b.label?.text === wanted)
        : undefined;
    if (!block) throw new Error(`the modal has no input “${label}”; it has ${this.labels().join(', ')}`);
    return block;
  }

  #set(block: Json, value: Json): void {
    const element = block.element;
    this.#values[block.block_id] = { [element.action_id]: { type: element.type, ...value } };
  }

  #element(label: string, ...types: string[]): Json {
    const block = this.#input(label);
    if (!types.includes(block.element.type)) {
      throw new Error(`“${label}” is a ${block.element.type}, not ${types.join(' or ')}`);
    }
    return block;
  }

  fill(label: string, text: string): this {
    const block = this.#element(label, 'plain_text_input', 'number_input');
    this.#set(block, { value: text === '' ? null : text });
    return this;
  }

  /** Chooses from a static select by the option's visible text, or its value. */
  select(label: string, choice: string): this {
    const block = this.#element(label, 'static_select');
    const options = block.element.option_groups?.flatMap((g: Json) => g.options) ?? block.element.options;
    this.#set(block, { selected_option: findOption(options, choice, label) });
    return this;
  }

  pick(label: string, conversationOrUser: string): this {
    const block = this.#element(label, 'conversations_select', 'channels_select', 'users_select');
    const key = {
      conversations_select: 'selected_conversation',
      channels_select: 'selected_channel',
      users_select: 'selected_user',
    }[block.element.type as 'conversations_select'];
    this.#set(block, { [key]: conversationOrUser });
    return this;
  }

  /** Chooses several options of a multi-select by their visible text or value. */
  selectMany(label: string, choices: string[]): this {
    const block = this.#element(label, 'multi_static_select');
    this.#set(block, { selected_options: choices.map((c) => findOption(block.element.options, c, label)) });
    return this;
  }

  pickMany(label: string, users: string[]): this {
    const block = this.#element(label, 'multi_users_select');
    this.#set(block, { selected_users: users });
    return this;
  }

  time(label: string, hhmm: string): this {
    this.#set(this.#element(label, 'timepicker'), { selected_time: hhmm });
    return this;
  }

  date(label: string, yyyymmdd: string | null): this {
    this.#set(this.#element(label, 'datepicker'), { selected_date: yyyymmdd });
    return this;
  }

  check(label: string, choices: string[]): this {
    const block = this.#element(label, 'checkboxes');
    this.#set(block, { selected_options: choices.map((c) => findOption(block.element.options, c, label)) });
    return this;
  }

  radio(label: string, choice: string): this {
    const block = this.#element(label, 'radio_buttons');
    this.#set(block, { selected_option: findOption(block.element.options, choice, label) });
    return this;
  }

  /** The value currently in an input, as the submission would carry it. */
  value(label: string): Json {
    const block = this.#input(label);
    return this.#values[block.block_id]?.[block.element.action_id];
  }

  submit(user: string): Promise<Answer> {
    return this.#driver.submitView(user, this.viewId, structuredClone(this.#values));
  }
}

function findOption(options: Json[] | undefined, choice: string, label: string): Json {
  const option = (options ?? []).find((o) => o.text?.text === choice || o.value === choice);
  if (!option) throw new Error(`“${label}” has no option “${choice}”`);
  return option;
}

function initialValue(element: Json): Json {
  switch (element.type) {
    case 'plain_text_input':
    case 'number_input':
      return { value: element.initial_value ?? null };
    case 'static_select':
    case 'radio_buttons':
      return { selected_option: element.initial_option ?? null };
    case 'checkboxes':
    case 'multi_static_select':
      return { selected_options: element.initial_options ?? [] };
    case 'conversations_select':
      return { selected_conversation: element.initial_conversation ?? null };
    case 'channels_select':
      return { selected_channel: element.initial_channel ?? null };
    case 'users_select':
      return { selected_user: element.initial_user ?? null };
    case 'multi_users_select':
      return { selected_users: element.initial_users ?? [] };
    case 'timepicker':
      return { selected_time: element.initial_time ?? null };
    case 'datepicker':
      return { selected_date: element.initial_date ?? null };
    default:
      return {};
  }
}
