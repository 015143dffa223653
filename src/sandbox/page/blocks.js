// Block Kit, drawn the way Slack draws what Concert sends: layout blocks, interactive elements, and the
// input blocks of modals, whose values are kept in the shape Slack puts in `view.state.values`.
import { plainText, safeUrl, textObject } from './mrkdwn.js';

function el(tag, className, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) if (child !== undefined && child !== null) node.append(child);
  return node;
}

export const blockIdOf = (block, index) => block.block_id ?? `block-${index}`;

/** The value an input starts with, as Slack reports it before anyone touches it. */
export function initialState(element) {
  const type = element.type;
  switch (type) {
    case 'plain_text_input':
    case 'number_input':
    case 'email_text_input':
    case 'url_text_input':
      return { type, value: element.initial_value ?? null };
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
      return { type, selected_option: element.initial_option ?? null };
    case 'multi_static_select':
    case 'checkboxes':
      return { type, selected_options: element.initial_options ?? [] };
    case 'users_select':
      return { type, selected_user: element.initial_user ?? null };
    case 'multi_users_select':
      return { type, selected_users: element.initial_users ?? [] };
    case 'conversations_select':
      return { type, selected_conversation: element.initial_conversation ?? null };
    case 'multi_conversations_select':
      return { type, selected_conversations: element.initial_conversations ?? [] };
    case 'channels_select':
      return { type, selected_channel: element.initial_channel ?? null };
    case 'multi_channels_select':
      return { type, selected_channels: element.initial_channels ?? [] };
    case 'datepicker':
      return { type, selected_date: element.initial_date ?? null };
    case 'timepicker':
      return { type, selected_time: element.initial_time ?? null };
    default:
      return { type };
  }
}

function optionsOf(element) {
  if (element.option_groups) return element.option_groups.flatMap((g) => g.options ?? []);
  return element.options ?? [];
}

/** The people or conversations a users/conversations/channels select offers. */
function choicesFor(element, context) {
  if (element.type.includes('users')) {
    return context.people
      .filter((p) => !p.isBot || !element.filter?.exclude_bot_users)
      .map((p) => ({ value: p.id, label: p.isBot ? `${p.realName} (app)` : p.realName }));
  }
  const include = element.filter?.include;
  return context.channels
    .filter((c) => c.kind === 'channel')
    .filter((c) => !include || include.includes(c.isPrivate ? 'private' : 'public'))
    .map((c) => ({ value: c.id, label: `${c.isPrivate ? '🔒' : '#'} ${c.name}` }));
}

function placeholderOption(element, fallback) {
  const option = el('option', '', [plainText(element.placeholder?.text ?? fallback)]);
  option.value = '';
  return option;
}

/**
 * One interactive element. `current` is its state (inputs) or undefined (actions), and `change(state)` is
 * called with the new state in Slack's shape when the person changes it.
 */
function element(elementJson, context, current, change, press) {
  const e = elementJson;
  const state = current ?? initialState(e);
  const id = `${context.idPrefix}-${e.action_id}`;
  switch (e.type) {
    case 'button': {
      const button = el('button', `bk-button${e.style ? ` bk-${e.style}` : ''}`, [plainText(e.text?.text)]);
      button.type = 'button';
      button.dataset.actionId = e.action_id ?? '';
      button.addEventListener('click', async () => {
        if (e.confirm && !(await context.confirm(e.confirm))) return;
        const url = safeUrl(e.url);
        if (url) window.open(url, '_blank', 'noopener');
        press({});
      });
      return button;
    }
    case 'static_select':
    case 'external_select': {
      const select = el('select', 'bk-select', [placeholderOption(e, 'Choose')]);
      select.id = id;
      const groups = e.option_groups ?? [{ options: e.options ?? [] }];
      for (const group of groups) {
        const parent = group.label ? el('optgroup') : select;
        if (group.label) {
          parent.label = group.label.text;
          select.append(parent);
        }
        for (const option of group.options ?? []) {
          const node = el('option', '', [plainText(option.text?.text)]);
          node.value = option.value;
          parent.append(node);
        }
      }
      select.value = state.selected_option?.value ?? '';
      select.addEventListener('change', () => {
        const option = optionsOf(e).find((o) => o.value === select.value) ?? null;
        change({ type: e.type, selected_option: option });
      });
      return select;
    }
    case 'multi_static_select': {
      const select = el('select', 'bk-select bk-multi');
      select.multiple = true;
      select.id = id;
      const selected = new Set((state.selected_options ?? []).map((o) => o.value));
      for (const option of optionsOf(e)) {
        const node = el('option', '', [plainText(option.text?.text)]);
        node.value = option.value;
        node.selected = selected.has(option.value);
        select.append(node);
      }
      select.addEventListener('change', () => {
        const values = new Set([...select.selectedOptions].map((o) => o.value));
        change({ type: e.type, selected_options: optionsOf(e).filter((o) => values.has(o.value)) });
      });
      return select;
    }
    case 'users_select':
    case 'conversations_select':
    case 'channels_select': {
      const key = {
        users_select: 'selected_user',
        conversations_select: 'selected_conversation',
        channels_select: 'selected_channel',
      }[e.type];
      const select = el('select', 'bk-select', [placeholderOption(e, 'Choose')]);
      select.id = id;
      for (const choice of choicesFor(e, context)) {
        const node = el('option', '', [choice.label]);
        node.value = choice.value;
        select.append(node);
      }
      select.value = state[key] ?? '';
      select.addEventListener('change', () => change({ type: e.type, [key]: select.value || null }));
      return select;
    }
    case 'multi_users_select':
    case 'multi_conversations_select':
    case 'multi_channels_select': {
      const key = {
        multi_users_select: 'selected_users',
        multi_conversations_select: 'selected_conversations',
        multi_channels_select: 'selected_channels',
      }[e.type];
      const select = el('select', 'bk-select bk-multi');
      select.multiple = true;
      select.id = id;
      const selected = new Set(state[key] ?? []);
      for (const choice of choicesFor(e, context)) {
        const node = el('option', '', [choice.label]);
        node.value = choice.value;
        node.selected = selected.has(choice.value);
        select.append(node);
      }
      select.addEventListener('change', () =>
        change({ type: e.type, [key]: [...select.selectedOptions].map((o) => o.value) }),
      );
      return select;
    }
    case 'overflow': {
      const wrap = el('div', 'bk-overflow');
      const button = el('button', 'bk-button bk-overflow-button', ['⋮']);
      button.type = 'button';
      button.title = 'More options';
      button.setAttribute('aria-label', 'More options');
      const menu = el('div', 'bk-menu');
      menu.hidden = true;
      for (const option of e.options ?? []) {
        const item = el('button', 'bk-menu-item', [plainText(option.text?.text)]);
        item.type = 'button';
        item.addEventListener('click', async () => {
          menu.hidden = true;
          if (e.confirm && !(await context.confirm(e.confirm))) return;
          const url = safeUrl(option.url);
          if (url) window.open(url, '_blank', 'noopener');
          press({ selected_option: option });
        });
        menu.append(item);
      }
      button.addEventListener('click', () => {
        menu.hidden = !menu.hidden;
      });
      wrap.append(button, menu);
      return wrap;
    }
    case 'datepicker': {
      const input = el('input', 'bk-date');
      input.type = 'date';
      input.id = id;
      input.value = state.selected_date ?? '';
      input.addEventListener('change', () => change({ type: e.type, selected_date: input.value || null }));
      return input;
    }
    case 'timepicker': {
      const input = el('input', 'bk-time');
      input.type = 'time';
      input.id = id;
      input.value = state.selected_time ?? '';
      input.addEventListener('change', () => change({ type: e.type, selected_time: input.value || null }));
      return input;
    }
    case 'radio_buttons':
    case 'checkboxes': {
      const multiple = e.type === 'checkboxes';
      const group = el('div', `bk-choices${multiple ? ' bk-checkboxes' : ' bk-radios'}`);
      const chosen = new Set(
        (multiple ? (state.selected_options ?? []) : [state.selected_option].filter(Boolean)).map(
          (o) => o.value,
        ),
      );
      for (const [i, option] of (e.options ?? []).entries()) {
        const input = el('input');
        input.type = multiple ? 'checkbox' : 'radio';
        input.name = id;
        input.id = `${id}-${i}`;
        input.value = option.value;
        input.checked = chosen.has(option.value);
        input.addEventListener('change', () => {
          const picked = [...group.querySelectorAll('input')].filter((n) => n.checked).map((n) => n.value);
          const options = (e.options ?? []).filter((o) => picked.includes(o.value));
          change(
            multiple
              ? { type: e.type, selected_options: options }
              : { type: e.type, selected_option: options[0] ?? null },
          );
        });
        const label = el('label', 'bk-choice', [
          input,
          el('span', '', [textObject(option.text, context.text)]),
        ]);
        label.htmlFor = input.id;
        if (option.description)
          label.append(el('span', 'bk-choice-description', [textObject(option.description, context.text)]));
        group.append(label);
      }
      return group;
    }
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input': {
      const input = e.multiline ? el('textarea', 'bk-text bk-multiline') : el('input', 'bk-text');
      if (!e.multiline) input.type = e.type === 'number_input' ? 'number' : 'text';
      input.id = id;
      if (e.max_length) input.maxLength = e.max_length;
      if (e.placeholder) input.placeholder = e.placeholder.text;
      input.value = state.value ?? '';
      input.addEventListener('input', () =>
        change({ type: e.type, value: input.value === '' ? null : input.value }, true),
      );
      return input;
    }
    case 'image': {
      const img = el('img', 'bk-image-element');
      img.src = imageSource(e);
      img.alt = e.alt_text ?? '';
      return img;
    }
    default:
      return el('span', 'bk-unknown', [`[${e.type}]`]);
  }
}

/** An image's address: its URL, or a file the app uploaded (`slack_file`), served by the sandbox. */
function imageSource(image) {
  if (image.image_url) return image.image_url;
  const id = image.slack_file?.id;
  return typeof id === 'string' ? `/api/images/${encodeURIComponent(id)}` : '';
}

function imageOf(block) {
  const figure = el('figure', 'bk-image');
  if (block.title) figure.append(el('figcaption', '', [plainText(block.title.text)]));
  const img = el('img');
  img.src = imageSource(block);
  img.alt = block.alt_text ?? '';
  figure.append(img);
  return figure;
}

function richText(block) {
  const root = el('div', 'bk-rich-text');
  for (const part of block.elements ?? []) {
    const line = el(part.type === 'rich_text_preformatted' ? 'pre' : 'div');
    for (const item of part.elements ?? []) {
      if (item.type === 'text') line.append(item.style?.bold ? el('b', '', [item.text]) : item.text);
      else if (item.type === 'link') {
        const href = safeUrl(item.url);
        if (!href) line.append(item.text ?? String(item.url ?? ''));
        else {
          const a = el('a', '', [item.text ?? href]);
          a.href = href;
          line.append(a);
        }
      } else if (item.type === 'emoji') line.append(plainText(`:${item.name}:`));
    }
    root.append(line);
  }
  return root;
}

/**
 * Draws blocks. `context` gives the viewer (for mrkdwn), the people and channels selects offer, `act` for
 * interactive elements outside inputs, and for modals `values`, `setValue` and `errors`.
 */
export function renderBlocks(blocks, context) {
  const root = el('div', 'bk-blocks');
  (blocks ?? []).forEach((block, index) => {
    const blockId = blockIdOf(block, index);
    const press = (elementJson) => (chosen) => context.act(index, elementJson, chosen);
    const live = (elementJson) => (state) => context.act(index, elementJson, state);
    const local = { ...context, idPrefix: `${context.idPrefix ?? 'bk'}-${blockId}` };
    switch (block.type) {
      case 'header':
        root.append(el('h3', 'bk-header', [plainText(block.text?.text)]));
        break;
      case 'divider':
        root.append(el('hr', 'bk-divider'));
        break;
      case 'section': {
        const body = el('div', 'bk-section-body');
        if (block.text) body.append(el('div', 'bk-section-text', [textObject(block.text, context.text)]));
        if (block.fields) {
          body.append(
            el(
              'div',
              'bk-fields',
              block.fields.map((f) => el('div', 'bk-field', [textObject(f, context.text)])),
            ),
          );
        }
        const section = el('div', 'bk-section', [body]);
        if (block.accessory) {
          const accessory = block.accessory;
          section.append(
            el('div', 'bk-accessory', [
              element(accessory, local, undefined, live(accessory), press(accessory)),
            ]),
          );
        }
        root.append(section);
        break;
      }
      case 'context':
        root.append(
          el(
            'div',
            'bk-context',
            (block.elements ?? []).map((item) =>
              item.type === 'image'
                ? element(item, local)
                : el('span', 'bk-context-item', [textObject(item, context.text)]),
            ),
          ),
        );
        break;
      case 'actions':
        root.append(
          el(
            'div',
            'bk-actions',
            (block.elements ?? []).map((item) => element(item, local, undefined, live(item), press(item))),
          ),
        );
        break;
      case 'input': {
        const e = block.element;
        const current = context.values?.[blockId]?.[e.action_id];
        const label = el('label', 'bk-label', [plainText(block.label?.text)]);
        if (block.optional) label.append(el('span', 'bk-optional', [' (optional)']));
        label.htmlFor = `${local.idPrefix}-${e.action_id}`;
        const field = element(
          e,
          local,
          current,
          (state, typing) => {
            context.setValue?.(blockId, e.action_id, state);
            if (block.dispatch_action && !typing) context.act(index, e, state);
          },
          () => {},
        );
        const input = el('div', `bk-input${context.errors?.[blockId] ? ' bk-has-error' : ''}`, [
          label,
          field,
        ]);
        input.dataset.blockId = blockId;
        if (block.hint) input.append(el('div', 'bk-hint', [plainText(block.hint.text)]));
        if (context.errors?.[blockId]) {
          const error = el('div', 'bk-error', [plainText(context.errors[blockId])]);
          error.setAttribute('role', 'alert');
          input.append(error);
        }
        root.append(input);
        break;
      }
      case 'image':
        root.append(imageOf(block));
        break;
      case 'rich_text':
        root.append(richText(block));
        break;
      default:
        root.append(el('div', 'bk-unknown', [`[${block.type} block]`]));
    }
  });
  return root;
}
