import type { KnownBlock } from '@slack/types';
import type { LineChart } from '../charts/render.js';
import { CHART_FILE_PREFIX, type StoredChart } from '../services/chart-files.js';
import { addDays, formatDate, type IsoDate } from '../services/time.js';
import { context, type Message } from './blocks.js';
import { formatNumber } from './indicators.js';
import { clip, escapeMrkdwn, plain } from './text.js';

/** Charts in one message: each is an image and its line, inside Slack's 50 blocks with a heading. */
export const CHARTS_PER_MESSAGE = 20;

/** "2 Nov" */
function dayMonth(date: IsoDate): string {
  return new Date(`${date}T12:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });
}

/**
 * What a chart shows, in words: every series' value in every period, "missing" where none was given, then
 * its target. Under each image for screen readers and clients that hide images, and its alt text. Plain
 * text: names are escaped where it is shown as mrkdwn.
 */
export function chartLine(chart: LineChart): string {
  const first = chart.periods[0];
  const last = chart.periods.at(-1);
  const span =
    first === undefined || last === undefined
      ? ''
      : first === last
        ? ` (${dayMonth(first)})`
        : ` (${dayMonth(first)} to ${dayMonth(last)})`;
  const unit = chart.percent ? '%' : '';
  const series = chart.series
    .map(
      (s) =>
        `${s.name}: ${s.values.map((v) => (v === null ? 'missing' : `${formatNumber(v)}${unit}`)).join(', ')}`,
    )
    .join('; ');
  const what = chart.percent ? chart.title : `${chart.title} (${chart.unit})`;
  const target = chart.target ? ` ${chart.target.label}.` : '';
  return `${what}${span}: ${series}.${target}`;
}

/** A chart as an image (its stored PNG, uploaded when the message is sent) with its line under it. */
export function chartBlocks(stored: StoredChart): KnownBlock[] {
  const line = chartLine(stored.chart);
  return [
    {
      type: 'image',
      slack_file: { id: `${CHART_FILE_PREFIX}${stored.key}` },
      // Plain text, read aloud as it is; angle brackets become look-alikes so nothing in it reads as a mention.
      alt_text: clip(line.replace(/</g, '‹').replace(/>/g, '›'), 2000),
      title: plain(stored.chart.title, 2000),
    } as KnownBlock,
    context(escapeMrkdwn(line)),
  ];
}

/** The digest's charts, CHARTS_PER_MESSAGE a message, each headed with the digest's period. */
export function digestChartMessages(
  charts: readonly StoredChart[],
  period: { startDate: IsoDate; endDate: IsoDate },
): Message[] {
  return chartMessages(
    charts,
    `Coalition charts · ${formatDate(period.startDate)} – ${formatDate(addDays(period.endDate, -1))}`,
  );
}

/** Charts, CHARTS_PER_MESSAGE a message, each message headed with `heading`. */
export function chartMessages(charts: readonly StoredChart[], heading: string): Message[] {
  const messages: Message[] = [];
  for (let i = 0; i < charts.length; i += CHARTS_PER_MESSAGE) {
    const part = charts.slice(i, i + CHARTS_PER_MESSAGE);
    const text = `${heading}: ${part.map((c) => escapeMrkdwn(c.chart.title)).join(', ')}`;
    messages.push({
      text: clip(text, 3000),
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `*${heading}*` } },
        ...part.flatMap(chartBlocks),
      ],
    });
  }
  return messages;
}
