import type { PlainTextElement } from '@slack/types';

/*
 * Text as Slack measures and shows it.
 *
 * Slack's limits count characters. A string's UTF-16 length (`.length`) is never less than the characters
 * Slack counts, so it is the measure used throughout: text within it is within Slack's. A cut is made only
 * between graphemes (what a reader sees as one character: an emoji with its skin tone, a ZWJ family, a
 * flag, a letter with its accents), so it never leaves half of a surrogate pair, which is not valid JSON
 * for Postgres's jsonb and would make the outbox refuse the whole message.
 */

/** Slack refuses a section's text, or a context element's, longer than this. */
export const SECTION_MAX = 3000;

const GRAPHEMES = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Text handed to the segmenter at a time: Node's segmenter slows down with the square of a text's length. */
const SEGMENT_CHUNK = 256;

/**
 * The text's graphemes, in order. Segmented a chunk at a time, the last grapheme of each chunk carried into
 * the next (text after it may still join it; text after cannot undo an earlier boundary), and never
 * between the two halves of a surrogate pair.
 */
export function graphemes(text: string): string[] {
  const found: string[] = [];
  let carry = '';
  let at = 0;
  while (at < text.length) {
    let end = Math.min(at + SEGMENT_CHUNK, text.length);
    if (end < text.length && /[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end++;
    const pieces = Array.from(GRAPHEMES.segment(carry + text.slice(at, end)), (s) => s.segment);
    carry = end < text.length ? (pieces.pop() ?? '') : '';
    for (const piece of pieces) found.push(piece);
    at = end;
  }
  return found;
}

/** Slack's mrkdwn treats &, < and > as control characters; user-supplied text must have them escaped. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Pieces of composed mrkdwn that must stay whole: Slack's `<…>` tokens and its three entities. */
const MRKDWN_ATOM = /<[^<>]*>|&(?:amp|lt|gt);/g;

/** Composed mrkdwn as the pieces a cut may fall between: tokens and entities whole, the rest by grapheme. */
function mrkdwnAtoms(text: string): string[] {
  const atoms: string[] = [];
  let last = 0;
  for (const match of text.matchAll(MRKDWN_ATOM)) {
    for (const grapheme of graphemes(text.slice(last, match.index))) atoms.push(grapheme);
    atoms.push(match[0]);
    last = match.index + match[0].length;
  }
  for (const grapheme of graphemes(text.slice(last))) atoms.push(grapheme);
  return atoms;
}

/** The atoms that fit in `max` with a “…” after them, trailing spaces dropped, and the “…”. */
function cutAtoms(atoms: readonly string[], max: number): string {
  let kept = '';
  for (const atom of atoms) {
    if (kept.length + atom.length > max - 1) break;
    kept += atom;
  }
  return `${kept.trimEnd()}…`;
}

/**
 * How far past a cut the text is read to find it: the grapheme or token that crosses the cut is read whole
 * (and left out) however long, within reason; Concert's own tokens are far shorter.
 */
const LOOK_PAST_CUT = 4096;

/** Plain text of at most `max` characters: cut between graphemes, ending with “…” when cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : cutAtoms(graphemes(text.slice(0, max + LOOK_PAST_CUT)), max);
}

/**
 * Composed mrkdwn (user text in it already escaped) of at most `max` characters: cut between graphemes and
 * never inside a `<…>` token or an `&amp;`-style entity, ending with “…” when cut.
 */
export function clipMrkdwn(mrkdwn: string, max: number): string {
  return mrkdwn.length <= max ? mrkdwn : cutAtoms(mrkdwnAtoms(mrkdwn.slice(0, max + LOOK_PAST_CUT)), max);
}

/** Someone's own words as mrkdwn: escaped, then cut to at most `max` characters as Slack counts them. */
export function userMrkdwn(text: string, max: number = Number.POSITIVE_INFINITY): string {
  return clipMrkdwn(escapeMrkdwn(text), max);
}

/**
 * Composed mrkdwn in pieces of at most `max` characters each, for consecutive sections, so long text is
 * shown whole rather than cut: a piece ends at a line break where one falls in its second half, else at a
 * space, else between graphemes; never inside a token or an entity.
 */
export function splitMrkdwn(mrkdwn: string, max = SECTION_MAX): string[] {
  if (mrkdwn.length <= max) return [mrkdwn];
  const atoms = mrkdwnAtoms(mrkdwn);
  const pieces: string[] = [];
  let start = 0;
  while (start < atoms.length) {
    // The atoms from `start` that fit, and the last line break or space among them past the half.
    let end = start;
    let size = 0;
    let lineBreak = -1;
    let space = -1;
    while (end < atoms.length && size + (atoms[end] as string).length <= max) {
      if (size >= max / 2 && atoms[end] === '\n') lineBreak = end;
      if (size >= max / 2 && atoms[end] === ' ') space = end;
      size += (atoms[end] as string).length;
      end++;
    }
    // An atom longer than a piece (no token of Concert's is) goes alone, for its section to cut.
    if (end === start) end = start + 1;
    else if (end < atoms.length) {
      if (lineBreak > start) end = lineBreak;
      else if (space > start) end = space;
    }
    const piece = atoms.slice(start, end).join('').trimEnd();
    if (piece) pieces.push(piece);
    start = end;
    while (atoms[start] === '\n' || atoms[start] === ' ') start++;
  }
  return pieces;
}

/**
 * Slack's markup in a message or a slash command's text, as the person typed it: `<!here>` is “@here”, a
 * user group `<!subteam^S…|@team>` “@team”, a mention `<@U…|name>` “@name” (its name from `nameOf`
 * when Slack sent none), a channel `<#C…|name>` “#name”, a link `<https://…|label>` “label (https://…)”,
 * a date `<!date^…|fallback>` its fallback, and &, < and > unescaped. For prefilling a plain-text field,
 * so that nothing of it can become a live mention when Concert posts it.
 */
export function readableText(text: string, nameOf: (userId: string) => string | undefined = () => undefined) {
  return text
    .replace(/<([^<>|]*)(?:\|([^<>]*))?>/g, (_whole, target: string, label: string | undefined) => {
      const at = (name: string) => (name.startsWith('@') ? name : `@${name}`);
      if (target.startsWith('@')) return at(label || nameOf(target.slice(1)) || target.slice(1));
      if (target.startsWith('#')) return `#${(label || target.slice(1)).replace(/^#/, '')}`;
      if (target.startsWith('!subteam^')) return at(label || target.slice('!subteam^'.length));
      if (target.startsWith('!date^')) return label ?? '';
      if (target.startsWith('!')) return at(label || target.slice(1));
      const address = target.replace(/^mailto:/, '');
      return label && label !== target && label !== address ? `${label} (${address})` : address;
    })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();
}

/** The users mentioned in Slack's markup without a name (`<@U…>`, not `<@U…|name>`), each once. */
export function unnamedMentions(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(/<@([A-Z0-9]+)(?:\|)?>/g), (m) => m[1] as string))];
}

export const channel = (id: string) => `<#${id}>`;
export const user = (id: string) => `<@${id}>`;

export function plain(text: string, max = 75): PlainTextElement {
  return { type: 'plain_text', text: clip(text, max), emoji: true };
}

export function list(items: readonly string[], empty = 'none'): string {
  if (items.length === 0) return empty;
  if (items.length === 1) return items[0] as string;
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
