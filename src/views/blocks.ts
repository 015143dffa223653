import type { ContextBlock, KnownBlock, SectionBlock } from '@slack/types';
import { clipMrkdwn, SECTION_MAX, splitMrkdwn } from './text.js';

/** A message as Concert sends it: `text` is the notification (mrkdwn, user text escaped), `blocks` what is shown. */
export interface Message {
  text: string;
  blocks: KnownBlock[];
}

/** Slack refuses a message of more blocks than this (a modal or the Home tab: 100). */
export const MESSAGE_MAX_BLOCKS = 50;

/** One section of composed mrkdwn, cut with “…” at Slack's 3,000 characters if it is longer. */
export function section(mrkdwn: string, blockId?: string): SectionBlock {
  return {
    type: 'section',
    ...(blockId ? { block_id: blockId } : {}),
    text: { type: 'mrkdwn', text: clipMrkdwn(mrkdwn, SECTION_MAX) },
  };
}

/**
 * Composed mrkdwn whole, in as many consecutive sections as it needs, broken at line ends where it can:
 * for what people wrote and others must read in full (a proposal's details, a check-in's report).
 */
export function sections(mrkdwn: string, blockId?: string): SectionBlock[] {
  return splitMrkdwn(mrkdwn, SECTION_MAX).map((piece, i) => section(piece, i === 0 ? blockId : undefined));
}

/** A context line of composed mrkdwn, cut with “…” at Slack's 3,000 characters if it is longer. */
export function context(mrkdwn: string): ContextBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: clipMrkdwn(mrkdwn, SECTION_MAX) }] };
}

/**
 * Blocks within a surface's limit: when there are more, the last that fit and then a context line that says
 * how many were left out and where to read them (`rest(n)`).
 */
export function withinBlocks(
  blocks: readonly KnownBlock[],
  rest: (left: number) => string,
  max = MESSAGE_MAX_BLOCKS,
): KnownBlock[] {
  if (blocks.length <= max) return [...blocks];
  const kept = blocks.slice(0, max - 1);
  return [...kept, context(rest(blocks.length - kept.length))];
}
