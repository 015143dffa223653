import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { Indicator } from '../db/indicator-schema.js';
import type { WorkGroup } from '../db/schema.js';
import { INDICATOR_NAME_MAX, INDICATOR_UNIT_MAX, type IndicatorWithGroups } from '../services/indicators.js';
import type { IsoDate } from '../services/time.js';
import type { Message } from './help.js';
import { INDICATOR } from './ids.js';
import { checkboxesInput, dateInput, option, radioInput, textInput } from './inputs.js';
import { clipMrkdwn, escapeMrkdwn, plain } from './text.js';

/** Room for the header and the add button inside a message's 50 blocks. */
export const INDICATORS_LISTED = 45;

/** A number as people read it: thousands separated, at most two decimals. */
export function formatNumber(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** A day with its year, as a target's date is often a year or more away: "30 Jun 2027". */
export function longDate(date: IsoDate): string {
  return new Date(`${date}T12:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** "higher is better · weekly · target 500 households by 30 Jun 2027" */
export function indicatorTerms(indicator: Indicator): string {
  const parts = [indicator.up_is_better ? 'higher is better' : 'lower is better', indicator.frequency];
  if (indicator.target !== null && indicator.target_date)
    parts.push(
      `target ${formatNumber(indicator.target)} ${indicator.unit} by ${longDate(indicator.target_date)}`,
    );
  return parts.join(' · ');
}

function groupNames(ids: readonly number[], groups: ReadonlyMap<number, string>): string {
  const names = ids.map((id) => groups.get(id)).filter((n): n is string => n !== undefined);
  return names.length > 0 ? names.map(escapeMrkdwn).join(', ') : 'no work group';
}

/** `/concert indicators`: each indicator with an Edit button (retired ones without), then Add. */
export function indicatorListMessage(
  indicators: readonly IndicatorWithGroups[],
  groups: readonly WorkGroup[],
): Message {
  const names = new Map(groups.map((g) => [g.id, g.name]));
  const intro =
    indicators.length === 0
      ? 'The coalition has no shared indicators yet. Add one for each thing the work groups agree to track the same way.'
      : `*Shared indicators* (${indicators.filter((i) => i.indicator.status === 'active').length} reported)`;
  const shown = indicators.slice(0, INDICATORS_LISTED);
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: intro } }];
  for (const { indicator, groupIds } of shown) {
    const retired = indicator.status === 'retired';
    blocks.push({
      type: 'section',
      block_id: `ind_${indicator.id}`,
      text: {
        type: 'mrkdwn',
        text: clipMrkdwn(
          `*${escapeMrkdwn(indicator.name)}* (${escapeMrkdwn(indicator.unit)})${retired ? ' · _retired_' : ''}\n${indicatorTerms(indicator)} · reported by ${groupNames(groupIds, names)}`,
          3000,
        ),
      },
      ...(retired
        ? {}
        : {
            accessory: {
              type: 'button' as const,
              action_id: INDICATOR.EDIT,
              text: plain('Edit'),
              value: String(indicator.id),
            },
          }),
    });
  }
  if (indicators.length > shown.length)
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `…and ${indicators.length - shown.length} more.` }],
    });
  blocks.push({
    type: 'actions',
    block_id: 'ind_actions',
    elements: [
      { type: 'button', action_id: INDICATOR.ADD, text: plain('Add an indicator'), style: 'primary' },
    ],
  });
  const text =
    indicators.length === 0
      ? intro
      : clipMrkdwn(
          `Shared indicators: ${indicators.map((i) => escapeMrkdwn(i.indicator.name)).join(', ')}`,
          3000,
        );
  return { text, blocks };
}

/** Define (no indicator) or change one; its id travels in private_metadata. */
export function indicatorModal(
  current: IndicatorWithGroups | undefined,
  groups: readonly WorkGroup[],
): ModalView {
  const indicator = current?.indicator;
  const groupOptions: PlainTextOption[] = groups.map((g) => option(g.name, String(g.id)));
  const chosen = groupOptions.filter((o) => current?.groupIds.includes(Number(o.value)));
  const blocks: KnownBlock[] = [
    textInput(INDICATOR.NAME, 'Name', indicator?.name, INDICATOR_NAME_MAX, {
      placeholder: 'Households served',
    }),
    textInput(INDICATOR.UNIT, 'Unit', indicator?.unit, INDICATOR_UNIT_MAX, {
      placeholder: 'households',
      hint: 'What one of the numbers reported is.',
    }),
    radioInput(
      INDICATOR.DIRECTION,
      'Which way is better',
      [option('Higher is better', 'up'), option('Lower is better', 'down')],
      indicator ? (indicator.up_is_better ? 'up' : 'down') : 'up',
    ),
    {
      ...checkboxesInput(
        INDICATOR.NEGATIVE,
        'Values below zero',
        [option('Allow values below zero (a change, a balance)', 'yes')],
        indicator?.negative_allowed ? ['yes'] : [],
      ),
      optional: true,
    },
    radioInput(
      INDICATOR.FREQUENCY,
      'Reported',
      [option('Weekly, in the check-in', 'weekly'), option('Monthly, in the month’s check-ins', 'monthly')],
      indicator?.frequency ?? 'weekly',
    ),
    {
      type: 'input',
      block_id: INDICATOR.GROUPS.block,
      label: plain('Reported by', 2000),
      hint: plain('Each of these work groups is asked for its number in its check-in.', 2000),
      element: {
        type: 'multi_static_select',
        action_id: INDICATOR.GROUPS.action,
        placeholder: plain('Choose work groups'),
        options: groupOptions.slice(0, 100),
        ...(chosen.length > 0 ? { initial_options: chosen } : {}),
      },
    },
    textInput(
      INDICATOR.TARGET,
      'Target',
      indicator?.target !== null && indicator?.target !== undefined ? String(indicator.target) : null,
      20,
      { optional: true, placeholder: '500', hint: 'The coalition’s number to reach, if it has one.' },
    ),
    dateInput(INDICATOR.TARGET_DATE, 'Target date', indicator?.target_date, { optional: true }),
  ];
  if (indicator)
    blocks.push(
      radioInput(
        INDICATOR.STATUS,
        'Status',
        [
          option('Reported', 'active'),
          option('Retired: no longer asked for; its values are kept', 'retired'),
        ],
        'active',
      ),
    );
  return {
    type: 'modal',
    callback_id: INDICATOR.CALLBACK,
    private_metadata: JSON.stringify({ id: indicator?.id ?? null }),
    title: plain(indicator ? 'Edit indicator' : 'Add an indicator', 24),
    submit: plain(indicator ? 'Save' : 'Add', 24),
    close: plain('Cancel', 24),
    blocks,
  };
}

/** Said to the backbone member who saved it. */
export function indicatorSavedText(indicator: Indicator, created: boolean, retired: boolean): string {
  const what = created ? 'Added' : retired ? 'Retired' : 'Saved';
  return `${what} the indicator *${escapeMrkdwn(indicator.name)}*${retired ? ': it is no longer asked for, and its values are kept.' : ` (${escapeMrkdwn(indicator.unit)}, ${indicatorTerms(indicator)}).`}`;
}
