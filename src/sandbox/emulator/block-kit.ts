/**
 * The Block Kit limits that make real Slack refuse a payload (`invalid_blocks`, `invalid_arguments`), checked
 * the way Slack checks them, so a test fails where production would. Each problem names its path.
 */

// biome-ignore lint/suspicious/noExplicitAny: payloads are arbitrary JSON from the app under test
type Json = any;

export type Surface = 'message' | 'modal' | 'home';

const MAX_BLOCKS: Record<Surface, number> = { message: 50, modal: 100, home: 100 };

function text(
  problems: string[],
  at: string,
  value: Json,
  max: number,
  kind?: 'plain_text' | 'mrkdwn',
): void {
  if (value === undefined || value === null) {
    problems.push(`${at}: required`);
    return;
  }
  if (typeof value !== 'object' || typeof value.text !== 'string') {
    problems.push(`${at}: must be a text object`);
    return;
  }
  if (kind && value.type !== kind) problems.push(`${at}: must be ${kind}, not ${value.type}`);
  if (value.type !== 'plain_text' && value.type !== 'mrkdwn')
    problems.push(`${at}: unknown text type ${value.type}`);
  if (value.text.length === 0) problems.push(`${at}: must not be empty`);
  if (value.text.length > max) problems.push(`${at}: ${value.text.length} characters, more than ${max}`);
}

function options(
  problems: string[],
  at: string,
  list: Json,
  max: number,
  values: Set<string> = new Set<string>(),
): void {
  if (!Array.isArray(list) || list.length === 0) {
    problems.push(`${at}: needs at least one option`);
    return;
  }
  if (list.length > max) problems.push(`${at}: ${list.length} options, more than ${max}`);
  list.forEach((o: Json, i: number) => {
    text(problems, `${at}[${i}].text`, o.text, 75);
    if (typeof o.value !== 'string' || o.value.length === 0) problems.push(`${at}[${i}].value: required`);
    else if (o.value.length > 150) problems.push(`${at}[${i}].value: more than 150 characters`);
    else if (values.has(o.value)) problems.push(`${at}[${i}].value: duplicate ${o.value}`);
    values.add(o.value);
    if (o.description) text(problems, `${at}[${i}].description`, o.description, 75);
  });
}

/** A select's option groups: at most 100, each labelled and of at most 100 options, no value twice. */
function optionGroups(problems: string[], at: string, groups: Json): void {
  if (!Array.isArray(groups) || groups.length === 0) {
    problems.push(`${at}: needs at least one option group`);
    return;
  }
  if (groups.length > 100) problems.push(`${at}: ${groups.length} option groups, more than 100`);
  const values = new Set<string>();
  groups.forEach((g: Json, i: number) => {
    text(problems, `${at}[${i}].label`, g.label, 75, 'plain_text');
    options(problems, `${at}[${i}].options`, g.options, 100, values);
  });
}

function actionId(problems: string[], at: string, element: Json, seen: Set<string>): void {
  const id = element.action_id;
  if (id === undefined) return;
  if (typeof id !== 'string' || id.length === 0 || id.length > 255)
    problems.push(`${at}.action_id: 1–255 characters`);
  if (seen.has(id)) problems.push(`${at}.action_id: duplicate ${id} in one block`);
  seen.add(id);
}

function element(problems: string[], at: string, el: Json, seen: Set<string>, surface: Surface): void {
  if (!el || typeof el.type !== 'string') {
    problems.push(`${at}: an element needs a type`);
    return;
  }
  actionId(problems, at, el, seen);
  switch (el.type) {
    case 'button':
      text(problems, `${at}.text`, el.text, 75, 'plain_text');
      if (el.value !== undefined && String(el.value).length > 2000)
        problems.push(`${at}.value: more than 2000`);
      if (el.url !== undefined && String(el.url).length > 3000) problems.push(`${at}.url: more than 3000`);
      if (el.style && el.style !== 'primary' && el.style !== 'danger')
        problems.push(`${at}.style: ${el.style}`);
      if (el.confirm) confirm(problems, `${at}.confirm`, el.confirm);
      break;
    case 'static_select':
    case 'multi_static_select':
      if (el.placeholder) text(problems, `${at}.placeholder`, el.placeholder, 150, 'plain_text');
      if (el.option_groups) optionGroups(problems, `${at}.option_groups`, el.option_groups);
      else options(problems, `${at}.options`, el.options, 100);
      break;
    case 'overflow':
      options(problems, `${at}.options`, el.options, 5);
      break;
    case 'checkboxes':
    case 'radio_buttons':
      options(problems, `${at}.options`, el.options, 10);
      break;
    case 'plain_text_input':
      if (el.max_length !== undefined && (el.max_length < 1 || el.max_length > 3000)) {
        problems.push(`${at}.max_length: 1–3000`);
      }
      if (el.initial_value !== undefined && String(el.initial_value).length > (el.max_length ?? 3000)) {
        problems.push(`${at}.initial_value: longer than max_length`);
      }
      if (el.placeholder) text(problems, `${at}.placeholder`, el.placeholder, 150, 'plain_text');
      break;
    case 'conversations_select':
    case 'channels_select':
    case 'users_select':
    case 'multi_users_select':
    case 'multi_conversations_select':
    case 'datepicker':
    case 'timepicker':
    case 'number_input':
      if (el.placeholder) text(problems, `${at}.placeholder`, el.placeholder, 150, 'plain_text');
      break;
    case 'image':
      if (!el.image_url || !el.alt_text) problems.push(`${at}: an image needs image_url and alt_text`);
      break;
    case 'plain_text':
    case 'mrkdwn':
      text(problems, at, el, 3000);
      break;
    default:
      problems.push(`${at}: unknown element type ${el.type}`);
  }
  if (surface === 'message' && el.type === 'plain_text_input')
    problems.push(`${at}: only goes in an input block`);
}

function confirm(problems: string[], at: string, c: Json): void {
  text(problems, `${at}.title`, c.title, 100, 'plain_text');
  text(problems, `${at}.text`, c.text, 300);
  text(problems, `${at}.confirm`, c.confirm, 30, 'plain_text');
  text(problems, `${at}.deny`, c.deny, 30, 'plain_text');
}

export function checkBlocks(blocks: Json, surface: Surface, at = 'blocks'): string[] {
  const problems: string[] = [];
  if (!Array.isArray(blocks)) return [`${at}: must be an array`];
  if (blocks.length > MAX_BLOCKS[surface]) {
    problems.push(`${at}: ${blocks.length} blocks, more than ${MAX_BLOCKS[surface]} in a ${surface}`);
  }
  const blockIds = new Set<string>();
  blocks.forEach((block: Json, i: number) => {
    const here = `${at}[${i}]`;
    if (block.block_id !== undefined) {
      if (typeof block.block_id !== 'string' || block.block_id.length > 255) {
        problems.push(`${here}.block_id: at most 255 characters`);
      }
      if (blockIds.has(block.block_id)) problems.push(`${here}.block_id: duplicate ${block.block_id}`);
      blockIds.add(block.block_id);
    }
    const seen = new Set<string>();
    switch (block.type) {
      case 'section':
        if (!block.text && !block.fields) problems.push(`${here}: a section needs text or fields`);
        if (block.text) text(problems, `${here}.text`, block.text, 3000);
        if (block.fields) {
          if (block.fields.length > 10) problems.push(`${here}.fields: more than 10`);
          block.fields.forEach((f: Json, j: number) => {
            text(problems, `${here}.fields[${j}]`, f, 2000);
          });
        }
        if (block.accessory) element(problems, `${here}.accessory`, block.accessory, seen, surface);
        break;
      case 'header':
        text(problems, `${here}.text`, block.text, 150, 'plain_text');
        break;
      case 'divider':
        break;
      case 'context':
        if (!Array.isArray(block.elements) || block.elements.length === 0) {
          problems.push(`${here}.elements: required`);
        } else if (block.elements.length > 10) {
          problems.push(`${here}.elements: more than 10`);
        } else {
          block.elements.forEach((el: Json, j: number) => {
            if (el.type === 'image') element(problems, `${here}.elements[${j}]`, el, seen, surface);
            else text(problems, `${here}.elements[${j}]`, el, 3000);
          });
        }
        break;
      case 'actions':
        if (!Array.isArray(block.elements) || block.elements.length === 0) {
          problems.push(`${here}.elements: required`);
        } else {
          if (block.elements.length > 25) problems.push(`${here}.elements: more than 25`);
          block.elements.forEach((el: Json, j: number) => {
            element(problems, `${here}.elements[${j}]`, el, seen, surface);
          });
        }
        break;
      case 'input':
        if (surface === 'message') problems.push(`${here}: input blocks only go in modals and App Home`);
        text(problems, `${here}.label`, block.label, 2000, 'plain_text');
        if (block.hint) text(problems, `${here}.hint`, block.hint, 2000, 'plain_text');
        if (!block.element) problems.push(`${here}.element: required`);
        else element(problems, `${here}.element`, block.element, seen, 'modal');
        break;
      case 'rich_text':
        break;
      case 'image':
        imageBlock(problems, here, block);
        break;
      default:
        problems.push(`${here}: unknown block type ${block.type}`);
    }
  });
  return problems;
}

/**
 * An image block as Slack takes it: alt text (at most 2,000 characters), exactly one source (an
 * `image_url` of at most 3,000, or a `slack_file` by `id` or `url`), an optional plain-text title.
 */
function imageBlock(problems: string[], here: string, block: Json): void {
  if (typeof block.alt_text !== 'string' || block.alt_text.length === 0)
    problems.push(`${here}.alt_text: required`);
  else if (block.alt_text.length > 2000) problems.push(`${here}.alt_text: longer than 2000`);
  const sources = [block.image_url, block.slack_file].filter((v) => v !== undefined);
  if (sources.length !== 1) problems.push(`${here}: needs exactly one of image_url and slack_file`);
  if (block.image_url !== undefined && (typeof block.image_url !== 'string' || block.image_url.length > 3000))
    problems.push(`${here}.image_url: a URL of at most 3000 characters`);
  if (block.slack_file !== undefined && !block.slack_file?.id && !block.slack_file?.url)
    problems.push(`${here}.slack_file: needs an id or a url`);
  if (block.title) text(problems, `${here}.title`, block.title, 2000, 'plain_text');
}

/** The files a message's image blocks show by `slack_file.id`. */
export function imageFileIds(blocks: Json): string[] {
  if (!Array.isArray(blocks)) return [];
  return blocks
    .filter((b: Json) => b?.type === 'image' && typeof b.slack_file?.id === 'string')
    .map((b: Json) => b.slack_file.id as string);
}

export function checkMessage(args: Json): string[] {
  const problems: string[] = [];
  const hasText = typeof args.text === 'string' && args.text.length > 0;
  if (!hasText && !args.blocks && !args.attachments) problems.push('text: a message needs text or blocks');
  if (!hasText && args.blocks) problems.push('text: give a text fallback alongside blocks for notifications');
  if (typeof args.text === 'string' && args.text.length > 40_000)
    problems.push('text: more than 40000 characters');
  if (args.blocks) problems.push(...checkBlocks(args.blocks, 'message'));
  return problems;
}

export function checkView(view: Json): string[] {
  if (!view || typeof view !== 'object') return ['view: required'];
  const problems: string[] = [];
  if (view.type !== 'modal' && view.type !== 'home') return [`view.type: ${view.type}`];
  if (view.type === 'modal') {
    text(problems, 'view.title', view.title, 24, 'plain_text');
    if (view.submit) text(problems, 'view.submit', view.submit, 24, 'plain_text');
    if (view.close) text(problems, 'view.close', view.close, 24, 'plain_text');
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b: Json) => b.type === 'input');
    if (hasInput && !view.submit) problems.push('view.submit: required when the modal has inputs');
  }
  if (view.private_metadata !== undefined && String(view.private_metadata).length > 3000) {
    problems.push('view.private_metadata: more than 3000 characters');
  }
  if (view.callback_id !== undefined && String(view.callback_id).length > 255) {
    problems.push('view.callback_id: more than 255 characters');
  }
  problems.push(...checkBlocks(view.blocks, view.type === 'home' ? 'home' : 'modal', 'view.blocks'));
  return problems;
}
