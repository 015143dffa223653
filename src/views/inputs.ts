import type { InputBlock, Option, PlainTextOption } from '@slack/types';
import { timeZoneChoices } from '../services/time.js';
import { plain } from './text.js';

type Ids = { readonly block: string; readonly action: string };

/** The input blocks the app's modals are built from: one shape per kind of answer. */
export function channelInput(
  ids: Ids,
  label: string,
  initial: string | null | undefined,
  hint?: string,
): InputBlock {
  return {
    type: 'input',
    block_id: ids.block,
    label: plain(label, 2000),
    ...(hint ? { hint: plain(hint, 2000) } : {}),
    element: {
      type: 'conversations_select',
      action_id: ids.action,
      placeholder: plain('Choose a channel'),
      filter: {
        include: ['public', 'private'],
        exclude_bot_users: true,
        exclude_external_shared_channels: true,
      },
      ...(initial ? { initial_conversation: initial } : {}),
    },
  };
}

export function textInput(
  ids: Ids,
  label: string,
  initial: string | null | undefined,
  maxLength: number,
  options: { multiline?: boolean; optional?: boolean; hint?: string; placeholder?: string } = {},
): InputBlock {
  return {
    type: 'input',
    block_id: ids.block,
    label: plain(label, 2000),
    ...(options.optional ? { optional: true } : {}),
    ...(options.hint ? { hint: plain(options.hint, 2000) } : {}),
    element: {
      type: 'plain_text_input',
      action_id: ids.action,
      max_length: maxLength,
      ...(options.multiline ? { multiline: true } : {}),
      ...(options.placeholder ? { placeholder: plain(options.placeholder, 150) } : {}),
      ...(initial ? { initial_value: initial.slice(0, maxLength) } : {}),
    },
  };
}

interface InputOptions {
  optional?: boolean;
  hint?: string;
}

function common(ids: Ids, label: string, options: InputOptions) {
  return {
    type: 'input' as const,
    block_id: ids.block,
    label: plain(label, 2000),
    ...(options.optional ? { optional: true } : {}),
    ...(options.hint ? { hint: plain(options.hint, 2000) } : {}),
  };
}

export function userInput(
  ids: Ids,
  label: string,
  initialUser: string | null | undefined,
  options: InputOptions = {},
): InputBlock {
  return {
    ...common(ids, label, options),
    element: {
      type: 'users_select',
      action_id: ids.action,
      placeholder: plain('Choose a person'),
      ...(initialUser ? { initial_user: initialUser } : {}),
    },
  };
}

export function dateInput(
  ids: Ids,
  label: string,
  initialDate: string | null | undefined,
  options: InputOptions = {},
): InputBlock {
  return {
    ...common(ids, label, options),
    element: {
      type: 'datepicker',
      action_id: ids.action,
      placeholder: plain('Choose a date'),
      ...(initialDate ? { initial_date: initialDate } : {}),
    },
  };
}

export function option(text: string, value: string): PlainTextOption {
  return { text: plain(text), value };
}

export function selectInput(
  ids: Ids,
  label: string,
  options: PlainTextOption[],
  initialValue: string | null | undefined,
  hint?: string,
  optional = false,
): InputBlock {
  const initial = options.find((o) => o.value === initialValue);
  return {
    type: 'input',
    block_id: ids.block,
    label: plain(label, 2000),
    ...(optional ? { optional: true } : {}),
    ...(hint ? { hint: plain(hint, 2000) } : {}),
    element: {
      type: 'static_select',
      action_id: ids.action,
      placeholder: plain('Choose'),
      options,
      ...(initial ? { initial_option: initial } : {}),
    },
  };
}

export function timeZoneInput(
  ids: Ids,
  label: string,
  initial: string | null | undefined,
  hint?: string,
): InputBlock {
  const zones = timeZoneChoices([initial]);
  return selectInput(
    ids,
    label,
    zones.map((tz) => option(tz.replace(/_/g, ' '), tz)),
    initial,
    hint,
  );
}

export function timeInput(ids: Ids, label: string, initialTime: string | null | undefined): InputBlock {
  return {
    type: 'input',
    block_id: ids.block,
    label: plain(label, 2000),
    element: {
      type: 'timepicker',
      action_id: ids.action,
      placeholder: plain('Choose a time'),
      ...(initialTime ? { initial_time: initialTime } : {}),
    },
  };
}

export function checkboxesInput(
  ids: Ids,
  label: string,
  options: Option[],
  initialValues: readonly string[],
): InputBlock {
  const initial = options.filter((o) => initialValues.includes(o.value ?? ''));
  return {
    type: 'input',
    block_id: ids.block,
    label: plain(label, 2000),
    element: {
      type: 'checkboxes',
      action_id: ids.action,
      options,
      ...(initial.length > 0 ? { initial_options: initial } : {}),
    },
  };
}

export function radioInput(
  ids: Ids,
  label: string,
  options: PlainTextOption[],
  initialValue: string | null | undefined,
): InputBlock {
  const initial = options.find((o) => o.value === initialValue);
  return {
    type: 'input',
    block_id: ids.block,
    label: plain(label, 2000),
    element: {
      type: 'radio_buttons',
      action_id: ids.action,
      options,
      ...(initial ? { initial_option: initial } : {}),
    },
  };
}
