import type { StoredChart } from '../services/chart-files.js';
import type { Figures } from '../services/follow-through.js';
import { messageKind } from '../services/outgoing.js';
import type { IsoDate } from '../services/time.js';
import { digestChartMessages } from '../views/charts.js';
import { digestMessages } from '../views/digest.js';

/** The weekly digest, in as many messages as it takes (each keyed `day:n`): once per digest day. */
export const digest = messageKind({
  key: ({ day }: { figures: Figures; day: IsoDate }) => day,
  render: ({ figures }) => digestMessages(figures, { weeks: 1, offerPost: false }),
  failure: { means: 'the backbone did not get the week’s digest', told: 'backbone' },
});

/** The digest a backbone member chose to post to the channel: once per click (`once:n`). */
export const digest_post = messageKind({
  key: ({ once }: { figures: Figures; weeks: number; once: string }) => once,
  render: ({ figures, weeks }) => digestMessages(figures, { weeks, offerPost: false }),
  failure: { means: 'the digest a backbone member posted did not reach the channel', told: 'backbone' },
});

/**
 * The weekly digest's charts, after its figures: each indicator's trend, follow-through and check-ins per
 * group, as images uploaded once when the message is sent (chart-files.ts), a line of numbers under each.
 */
export const digest_charts = messageKind({
  key: ({ day }: { charts: StoredChart[]; day: IsoDate; period: { startDate: IsoDate; endDate: IsoDate } }) =>
    day,
  render: ({ charts, period }) => digestChartMessages(charts, period),
  failure: { means: 'the backbone did not get the week’s charts', told: 'backbone' },
});

/** The charts of a digest a backbone member chose to post, after it: once per click (`once:n`). */
export const digest_post_charts = messageKind({
  key: ({
    once,
  }: {
    charts: StoredChart[];
    period: { startDate: IsoDate; endDate: IsoDate };
    once: string;
  }) => once,
  render: ({ charts, period }) => digestChartMessages(charts, period),
  failure: {
    means: 'the charts of the digest a backbone member posted did not reach the channel',
    told: 'backbone',
  },
});
