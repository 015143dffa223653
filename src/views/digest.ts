import type { ActionsBlock, KnownBlock } from '@slack/types';
import {
  type Figures,
  type GroupFigures,
  OVERDUE_PEOPLE_SHOWN,
  OVERDUE_TITLES_SHOWN,
  type PeriodFigures,
  type StepFigures,
  SUPPORT_SHOWN,
} from '../services/follow-through.js';
import { addDays, formatDate, localTime } from '../services/time.js';
import { type Message, section } from './blocks.js';
import { DIGEST } from './ids.js';
import { recordLine } from './proposals.js';
import { clip, escapeMrkdwn, plain, user } from './text.js';

/** Slack allows 50 blocks a message; a few are kept for the header and the buttons. */
const BLOCKS_PER_MESSAGE = 45;
const TOP_PEOPLE = OVERDUE_PEOPLE_SHOWN;
const TITLES_PER_PERSON = OVERDUE_TITLES_SHOWN;
const LIST_MAX = SUPPORT_SHOWN;
/** A request for support as the digest previews it; the whole of it went to the backbone channel. */
const SUPPORT_PREVIEW = 200;

const OUTCOME_TEXT: Record<string, string> = {
  consensus: '✅ Consensus reached',
  blocked: '⛔ Blocked',
  no_quorum: '➖ No quorum',
  no_consensus: '➖ No consensus',
};

function percent(ratio: number | null): string {
  return ratio === null ? '—' : `${Math.round(ratio * 100)}%`;
}

/** ▲ or ▼ with the change in percentage points against the period before; nothing when either is empty. */
export function change(now: number | null, before: number | null): string {
  if (now === null || before === null) return '';
  const points = Math.round(now * 100) - Math.round(before * 100);
  if (points === 0) return ' (=)';
  return points > 0 ? ` (▲ ${points} pts)` : ` (▼ ${-points} pts)`;
}

function periodText(f: PeriodFigures): string {
  return `${formatDate(f.period.startDate)} – ${formatDate(addDays(f.period.endDate, -1))}`;
}

function stepsLine(s: StepFigures): string {
  return `${s.due} due · ${s.doneOnTime} on time · ${s.doneLate} late · ${s.overdue} overdue · ${s.renegotiated} renegotiated · ${s.dropped} dropped`;
}

/** The one line a backbone member reads first. */
export function headline({ current, previous }: Figures): string {
  const c = current.overall;
  const p = previous.overall;
  const overdue = current.overdue.steps;
  return [
    `*Follow-through ${percent(c.steps.followThrough)}*${change(c.steps.followThrough, p.steps.followThrough)}`,
    `check-ins answered ${percent(c.checkins.rate)}${change(c.checkins.rate, p.checkins.rate)}`,
    `${overdue} overdue`,
    `${current.supportCount} asking for support`,
    `${current.proposals.decided.length} decided`,
  ].join(' · ');
}

function groupBlock(group: GroupFigures, before: GroupFigures | undefined): KnownBlock {
  const s = group.steps;
  const c = group.checkins;
  const lines = [
    `*${escapeMrkdwn(group.name)}* · ${group.ended ? 'partnership ended' : `${group.members} ${group.members === 1 ? 'member' : 'members'}`}`,
    `Follow-through ${percent(s.followThrough)}${change(s.followThrough, before?.steps.followThrough ?? null)} · ${stepsLine(s)}`,
    `Check-ins ${c.answered} answered${change(c.rate, before?.checkins.rate ?? null)} · ${c.skipped} skipped · ${c.missed} missed · ${c.away} away${c.pending > 0 ? ` · ${c.pending} still open` : ''} · 🟢 ${c.onTrack} 🟡 ${c.atRisk} 🔴 ${c.offTrack}`,
  ];
  return section(lines.join('\n'));
}

const mrkdwn = section;

/**
 * The first items of a list of `total`, then how many more and where they are (`more`, after “…and n
 * more”).
 */
function listed<T>(items: readonly T[], total: number, line: (item: T) => string, more: string): string {
  const shown = items.slice(0, LIST_MAX).map(line);
  if (total > shown.length) shown.push(`…and ${total - shown.length} more${more}`);
  return shown.join('\n');
}

function tailBlocks(current: PeriodFigures): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  const owners = current.overdue.owners;
  const late = current.people.slice(0, TOP_PEOPLE);
  if (late.length > 0) {
    const lines = late.map((p) => {
      const titles = p.overdue
        .slice(0, TITLES_PER_PERSON)
        .map((s) => `${escapeMrkdwn(s.title)} (${formatDate(s.due)})`);
      const more = p.overdueCount - titles.length;
      return `• ${user(p.userId)}: ${p.overdueCount} overdue — ${titles.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
    });
    const cut = owners > late.length || late.some((p) => p.overdueCount > TITLES_PER_PERSON);
    if (owners > late.length) lines.push(`…and ${owners - late.length} more people with overdue steps.`);
    if (cut) lines.push('Every overdue step is in the backbone’s `/concert export`.');
    blocks.push(mrkdwn(`*Most overdue*\n${lines.join('\n')}`));
  }
  if (current.supportCount > 0) {
    const text = listed(
      current.support,
      current.supportCount,
      (r) => `• ${user(r.user_id)}: ${escapeMrkdwn(clip(r.text, SUPPORT_PREVIEW))}`,
      ', each in full in the backbone channel',
    );
    blocks.push(mrkdwn(`*Asking for support*\n${text}`));
  }
  const { decided, open } = current.proposals;
  if (decided.length + open.length > 0) {
    const lines = [
      ...decided.map(
        (p) =>
          `• ${OUTCOME_TEXT[p.outcome ?? ''] ?? 'Withdrawn'}: ${escapeMrkdwn(p.title)}${p.record ? `\n${recordLine(p.record)}` : ''}`,
      ),
      ...open.map(
        (p) =>
          `• 🗳️ Open until ${formatDate(localTime(p.closes_at, current.period.tz).date)}: ${escapeMrkdwn(p.title)}`,
      ),
    ];
    blocks.push(mrkdwn(`*Decisions*\n${listed(lines, lines.length, (l) => l, ': `/concert decisions`')}`));
  }
  return blocks;
}

function buttons(weeks: number, offerPost: boolean, anyOverdue: boolean): ActionsBlock | undefined {
  const elements = [
    ...(offerPost
      ? [
          {
            type: 'button' as const,
            action_id: DIGEST.POST,
            text: plain('Post to the backbone channel'),
            value: String(weeks),
          },
        ]
      : []),
    ...(anyOverdue
      ? [
          {
            type: 'button' as const,
            action_id: DIGEST.NUDGE_ALL,
            text: plain('Nudge all overdue owners'),
            value: String(weeks),
          },
        ]
      : []),
  ];
  return elements.length > 0 ? { type: 'actions', elements } : undefined;
}

/**
 * The digest, as one message or, for a large coalition, several: every group keeps its own section, so a
 * coalition of any size is shown whole within Slack's 50 blocks per message.
 */
export function digestMessages(figures: Figures, options: { weeks: number; offerPost: boolean }): Message[] {
  const { current, previous } = figures;
  const title = `Coalition digest · ${periodText(current)}`;
  const first: KnownBlock[] = [
    { type: 'header', text: plain(title, 150) },
    mrkdwn(headline(figures)),
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `Against ${periodText(previous)}. Follow-through: done by the last agreed date ÷ due.`,
        },
      ],
    },
    { type: 'divider' },
  ];
  const before = new Map(previous.groups.map((g) => [g.id, g]));
  const sections = current.groups.map((g) => groupBlock(g, before.get(g.id)));
  if (sections.length === 0) sections.push(mrkdwn('No work groups yet.'));
  const tail = tailBlocks(current);
  const action = buttons(options.weeks, options.offerPost, current.overdue.steps > 0);
  const all = [
    ...first,
    ...sections,
    ...(tail.length > 0 ? [{ type: 'divider' } as KnownBlock, ...tail] : []),
  ];
  const messages: KnownBlock[][] = [];
  for (let i = 0; i < all.length; i += BLOCKS_PER_MESSAGE)
    messages.push(all.slice(i, i + BLOCKS_PER_MESSAGE));
  if (action) (messages.at(-1) as KnownBlock[]).push(action);
  return messages.map((blocks, i) => ({
    text:
      i === 0
        ? `${title}: ${headline(figures).replace(/\*/g, '')}`
        : `${title} (part ${i + 1} of ${messages.length})`,
    blocks,
  }));
}
