import { describe, expect, it } from 'vitest';
import {
  clip,
  clipMrkdwn,
  escapeMrkdwn,
  graphemes,
  plain,
  readableText,
  splitMrkdwn,
  unnamedMentions,
  userMrkdwn,
} from '../src/views/text.js';

/** A lone half of a surrogate pair: what a cut in the middle of an emoji leaves, and jsonb refuses. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function boundaries(text: string): number[] {
  const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
  return Array.from(segmenter.segment(text), (s) => s.index);
}

const FAMILY = '👨‍👩‍👧‍👦';
const FLAG = '🇺🇦';
const THUMB = '👍🏽';
const HEBREW = 'שָׁלוֹם';

describe('clip', () => {
  it('leaves text within the limit as it is', () => {
    expect(clip('Book the van', 12)).toBe('Book the van');
  });

  it('cuts between graphemes, never inside an emoji, a flag, a skin tone or a ZWJ sequence', () => {
    for (const unit of ['😀', FAMILY, FLAG, THUMB, HEBREW, 'é']) {
      const text = `a${unit.repeat(50)}`;
      for (let max = 1; max <= 40; max++) {
        const cut = clip(text, max);
        expect(cut.length).toBeLessThanOrEqual(max);
        expect(cut).toMatch(/…$/);
        expect(cut).not.toMatch(LONE_SURROGATE);
        // What is kept is the text up to a grapheme boundary.
        const kept = cut.slice(0, -1);
        expect(text.startsWith(kept)).toBe(true);
        expect(boundaries(text)).toContain(kept.length);
      }
    }
  });

  it('drops the spaces before the “…”', () => {
    expect(clip('Open the pantry on Saturday', 10)).toBe('Open the…');
  });

  it('makes plain text elements of whole graphemes', () => {
    const element = plain(FLAG.repeat(100), 75);
    expect(element.text.length).toBeLessThanOrEqual(75);
    expect(element.text).not.toMatch(LONE_SURROGATE);
  });
});

describe('mrkdwn', () => {
  it('escapes once, and measures after escaping', () => {
    const text = userMrkdwn('R&D <phase 2> & Q&A '.repeat(200), 3000);
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text).not.toContain('&amp;amp;');
    expect(text).toMatch(/…$/);
    // No entity is cut in half.
    expect(text.replace(/&(amp|lt|gt);/g, '')).not.toMatch(/&/);
  });

  it('never cuts inside a token or an entity', () => {
    const composed = `${'x'.repeat(2990)} <@U0123456789> &amp; more`;
    const cut = clipMrkdwn(composed, 3000);
    expect(cut).toBe(`${'x'.repeat(2990)}…`);
    expect(clipMrkdwn(`${'x'.repeat(2996)}&amp;&amp;`, 3000)).toBe(`${'x'.repeat(2996)}…`);
  });

  it('splits long text into pieces that each fit, losing nothing', () => {
    const paragraph = `${escapeMrkdwn('Costs & timeline <phase 2>')} ${THUMB}${FAMILY}${FLAG}\n`;
    const text = paragraph.repeat(400);
    const pieces = splitMrkdwn(text, 3000);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(3000);
      expect(piece).not.toMatch(LONE_SURROGATE);
      expect(piece.endsWith('\n')).toBe(false);
    }
    // Broken at line ends, so every line arrives whole.
    expect(pieces.join('\n')).toBe(text.trimEnd());
  });

  it('splits an atom longer than a piece off on its own, and goes on', () => {
    const token = `<https://example.org/${'a'.repeat(40)}|link>`;
    expect(splitMrkdwn(`ab ${token} cd`, 20)).toEqual(['ab', token, 'cd']);
  });

  it('segments long text in linear time, as a whole text would be', () => {
    const units = ['👨‍👩‍👧‍👦', 'x', FLAG, ' ', 'e\u0301\u0302', THUMB, HEBREW, '\r\n', '🇺🇦🇺'];
    const text = Array.from({ length: 4000 }, (_, i) => units[(i * 7) % units.length]).join('');
    const whole = Array.from(
      new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text),
      (s) => s.segment,
    );
    expect(graphemes(text)).toEqual(whole);
  });

  it('splits text without spaces between graphemes', () => {
    const text = `${FAMILY.repeat(700)}`;
    const pieces = splitMrkdwn(text, 3000);
    expect(pieces.join('')).toBe(text);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(3000);
  });
});

describe('readableText', () => {
  it('turns special mentions and user groups into what the person typed', () => {
    expect(
      readableText('Ask <!here> and <!subteam^S0FOOD|@food-team> to review; cc <!channel> <!everyone>'),
    ).toBe('Ask @here and @food-team to review; cc @channel @everyone');
  });

  it('reads mentions, channels, links and dates as typed', () => {
    const names = new Map([['UCORA', 'Cora']]);
    expect(
      readableText(
        'Ask <@UCORA> and <@UFAY|fay> in <#CFOOD|food-access>: <https://example.org/a?b=1&amp;c=2|the plan>, <https://example.org>, <mailto:a@example.org|a@example.org> by <!date^1767225600^{date}|Jan 1st>',
        (id) => names.get(id),
      ),
    ).toBe(
      'Ask @Cora and @fay in #food-access: the plan (https://example.org/a?b=1&c=2), https://example.org, a@example.org by Jan 1st',
    );
  });

  it('keeps typed angle brackets and ampersands as text', () => {
    expect(readableText('R&amp;D &lt;!here&gt; &amp;lt;')).toBe('R&D <!here> &lt;');
  });

  it('names what it cannot resolve by its ID, never as markup', () => {
    expect(readableText('<@U999> <#C999> <!subteam^S999>')).toBe('@U999 #C999 @S999');
  });

  it('finds the people a text mentions without their names', () => {
    expect(unnamedMentions('<@UA> <@UB|b> <@UA> <#CX> <@UC|>')).toEqual(['UA', 'UC']);
  });
});
