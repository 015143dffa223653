import type { InputBlock, Option, PlainTextOption } from '@slack/types';
import { timeZoneChoices } from '../services/time.js';
import { clip, plain } from './text.js';

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
      ...(initial ? { initial_value: clip(initial, maxLength) } : {}),
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

/** Slack shows at most this many options in a select, and as many option groups of as many each. */
export const SELECT_MAX_OPTIONS = 100;

export interface OptionGroup {
  label: string;
  options: PlainTextOption[];
}

/**
 * Options in groups of at most 100, named by their first and last, for a select of more than 100 choices:
 * Slack takes up to 100 groups, so every choice is reached (and found by typing part of its name).
 */
export function optionGroups(options: readonly PlainTextOption[]): OptionGroup[] {
  const groups: OptionGroup[] = [];
  for (let i = 0; i < options.length; i += SELECT_MAX_OPTIONS) {
    const chunk = options.slice(i, i + SELECT_MAX_OPTIONS);
    const name = (o: PlainTextOption | undefined) => clip(o?.text.text ?? '', 35);
    groups.push({ label: `${name(chunk[0])} – ${name(chunk.at(-1))}`, options: chunk });
  }
  return groups;
}

/**
 * A static select of every choice: plain up to 100 options, in option groups beyond (`groups` names them
 * otherwise, each of at most 100).
 */
export function selectInput(
  ids: Ids,
  label: string,
  options: PlainTextOption[],
  initialValue: string | null | undefined,
  hint?: string,
  optional = false,
  groups?: readonly OptionGroup[],
): InputBlock {
  const initial = options.find((o) => o.value === initialValue);
  const grouped = groups ?? (options.length > SELECT_MAX_OPTIONS ? optionGroups(options) : undefined);
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
      ...(grouped
        ? { option_groups: grouped.map((g) => ({ label: plain(g.label), options: g.options })) }
        : { options }),
      ...(initial ? { initial_option: initial } : {}),
    },
  };
}

/**
 * The zones whose name Node's ICU still gives in its older form, by the name the IANA time zone database
 * (its `backward` file) and Slack's profiles use now: people look for Kolkata and Kyiv.
 */
const CURRENT_NAMES: Readonly<Record<string, string>> = {
  'Africa/Asmera': 'Africa/Asmara',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Coral_Harbour': 'America/Atikokan',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
};

export function timeZoneInput(
  ids: Ids,
  label: string,
  initial: string | null | undefined,
  hint?: string,
): InputBlock {
  const common = timeZoneChoices([initial]);
  const zoneOption = (tz: string) => option(tz.replace(/_/g, ' '), tz);
  // Every zone Slack can give a person, by region, after the common ones: no one's zone is out of reach.
  const rest = Intl.supportedValuesOf('timeZone')
    .map((tz) => CURRENT_NAMES[tz] ?? tz)
    .filter((tz) => !common.includes(tz))
    .sort();
  const byRegion = new Map<string, PlainTextOption[]>();
  for (const tz of rest) {
    const region = tz.includes('/') ? (tz.split('/')[0] as string) : 'Other';
    byRegion.set(region, [...(byRegion.get(region) ?? []), zoneOption(tz)]);
  }
  const groups: OptionGroup[] = [
    { label: 'Common', options: common.map(zoneOption) },
    ...[...byRegion].flatMap(([region, options]) => {
      const chunks = optionGroups(options);
      if (chunks.length === 1) return [{ label: region, options }];
      const city = (o: PlainTextOption | undefined) =>
        (o?.value ?? '').slice(region.length + 1).replace(/_/g, ' ');
      return chunks.map((g) => ({
        label: `${region}: ${city(g.options[0])} – ${city(g.options.at(-1))}`,
        options: g.options,
      }));
    }),
  ];
  return selectInput(
    ids,
    label,
    groups.flatMap((g) => g.options),
    initial,
    hint,
    false,
    groups,
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
