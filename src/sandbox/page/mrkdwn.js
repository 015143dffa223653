// Slack's mrkdwn, drawn as DOM nodes (never as HTML, so nothing the app sends can inject markup).

const EMOJI = {
  warning: '⚠️',
  white_check_mark: '✅',
  raising_hand: '🙋',
  raised_hand: '✋',
  wave: '👋',
  tada: '🎉',
  calendar: '📅',
  spiral_calendar_pad: '🗓️',
  memo: '📝',
  bell: '🔔',
  x: '❌',
  heavy_check_mark: '✔️',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  clipboard: '📋',
  bar_chart: '📊',
  chart_with_upwards_trend: '📈',
  ballot_box_with_ballot: '🗳️',
  thumbsup: '👍',
  '+1': '👍',
  thumbsdown: '👎',
  no_entry: '⛔',
  octagonal_sign: '🛑',
  handshake: '🤝',
  sos: '🆘',
  pushpin: '📌',
  speech_balloon: '💬',
  eyes: '👀',
  rocket: '🚀',
  seedling: '🌱',
  star: '⭐',
};

/** The only schemes the page links to; a link with any other (javascript:, data:…) is shown as its text. */
const SAFE_SCHEMES = ['http:', 'https:', 'mailto:'];

/** The URL, if it is one the page may link to; otherwise undefined. */
export function safeUrl(url) {
  const text = String(url ?? '');
  try {
    return SAFE_SCHEMES.includes(new URL(text).protocol) ? text : undefined;
  } catch {
    return undefined;
  }
}

function unescapeMrkdwn(text) {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function emojify(text) {
  return text.replace(/:([a-z0-9_+-]+):/g, (whole, name) => EMOJI[name] ?? whole);
}

function el(tag, className, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) node.append(child);
  return node;
}

const ORDINAL = (n) => {
  const s = ['th', 'st', 'nd', 'rd'];
  const v = n % 100;
  return `${n}${s[(v - 20) % 10] ?? s[v] ?? s[0]}`;
};

function partsIn(date, tz) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      weekday: 'long',
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return parts;
}

function isoDateIn(date, tz) {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(date);
}

/** `<!date^…>` tokens, in the viewer's own time zone, relative to the sandbox's now. */
export function formatSlackDate(seconds, format, context) {
  const tz = context.tz;
  const date = new Date(seconds * 1000);
  const p = partsIn(date, tz);
  const day = Number(p.day);
  const shortMonth = p.month.slice(0, 3);
  const time = new Intl.DateTimeFormat('en-US', { timeZone: tz, hour: 'numeric', minute: '2-digit' }).format(
    date,
  );
  const timeSecs = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hour: 'numeric',
    minute: '2-digit',
    second: '2-digit',
  }).format(date);
  const dayOffset = Math.round(
    (Date.parse(isoDateIn(date, tz)) - Date.parse(isoDateIn(context.now, tz))) / 86_400_000,
  );
  const pretty = { 0: 'today', [-1]: 'yesterday', 1: 'tomorrow' }[dayOffset];
  const seconds_ago = Math.round((context.now.getTime() - date.getTime()) / 1000);
  const ago =
    Math.abs(seconds_ago) < 60
      ? 'just now'
      : Math.abs(seconds_ago) < 3600
        ? `${Math.round(Math.abs(seconds_ago) / 60)} minutes ${seconds_ago > 0 ? 'ago' : 'from now'}`
        : Math.abs(seconds_ago) < 86400
          ? `${Math.round(Math.abs(seconds_ago) / 3600)} hours ${seconds_ago > 0 ? 'ago' : 'from now'}`
          : `${Math.round(Math.abs(seconds_ago) / 86400)} days ${seconds_ago > 0 ? 'ago' : 'from now'}`;
  const tokens = {
    date_num: isoDateIn(date, tz),
    date: `${p.month} ${ORDINAL(day)}, ${p.year}`,
    date_short: `${shortMonth} ${day}, ${p.year}`,
    date_long: `${p.weekday}, ${p.month} ${ORDINAL(day)}, ${p.year}`,
    date_pretty: pretty ?? `${p.month} ${ORDINAL(day)}, ${p.year}`,
    date_short_pretty: pretty ?? `${shortMonth} ${day}, ${p.year}`,
    date_long_pretty: pretty ?? `${p.weekday}, ${p.month} ${ORDINAL(day)}, ${p.year}`,
    time,
    time_secs: timeSecs,
    ago,
  };
  return format.replace(/\{([a-z_]+)\}/g, (whole, name) => tokens[name] ?? whole);
}

/** One `<…>` token: a mention, a channel, a date, a special mention or a link. */
function angle(token, context) {
  const [target, label] = token.split(/\|(.*)/s);
  if (target.startsWith('@')) {
    const id = target.slice(1);
    const name = context.personName(id) ?? label ?? id;
    return el('span', `mention${id === context.me ? ' mention-me' : ''}`, [`@${name}`]);
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    const name = context.channelName(id) ?? label ?? id;
    const link = el('a', 'channel-link', [`#${name}`]);
    link.href = '#';
    link.addEventListener('click', (event) => {
      event.preventDefault();
      context.openConversation?.(id);
    });
    return link;
  }
  if (target.startsWith('!date^')) {
    const [, seconds, format, link] = target.split('^');
    const text = formatSlackDate(Number(seconds), format ?? '{date}', context);
    const href = link ? safeUrl(unescapeMrkdwn(link)) : undefined;
    const node = el(href ? 'a' : 'span', 'slack-date', [text]);
    node.title = `Shown in your time zone, ${context.tz}`;
    if (href) node.href = href;
    return node;
  }
  if (target.startsWith('!')) {
    const name = target.slice(1).split('^')[0];
    return el('span', 'mention', [`@${label ?? name}`]);
  }
  const text = unescapeMrkdwn(label ?? target);
  const href = safeUrl(unescapeMrkdwn(target));
  if (!href) return text;
  const link = el('a', '', [text]);
  link.href = href;
  link.target = '_blank';
  link.rel = 'noopener noreferrer';
  return link;
}

const INLINE = /(`[^`\n]+`)|(\*[^*\n]+\*)|(_[^_\n]+_)|(~[^~\n]+~)/g;

/** `<…>` tokens stand in the text as one private-use character each while formatting is matched. */
const TOKEN = /<[^<>\n]+>/g;
const FIRST_MARK = 0xe000;
const MARKS = /[\uE000-\uF8FF]/g;
const MAX_TOKENS = 0xf8ff - FIRST_MARK + 1;

function boundaryOk(text, start, end) {
  const before = start === 0 ? '' : text[start - 1];
  const after = end >= text.length ? '' : text[end];
  return !/[A-Za-z0-9]/.test(before) && !/[A-Za-z0-9]/.test(after);
}

/** Text between formatting: its tokens drawn, the rest with emoji. */
function plain(text, tokens, context) {
  const nodes = [];
  let last = 0;
  for (const mark of text.matchAll(MARKS)) {
    const token = tokens[mark[0].charCodeAt(0) - FIRST_MARK];
    if (token === undefined) continue;
    if (mark.index > last) nodes.push(emojify(unescapeMrkdwn(text.slice(last, mark.index))));
    nodes.push(angle(token.slice(1, -1), context));
    last = mark.index + 1;
  }
  if (last < text.length) nodes.push(emojify(unescapeMrkdwn(text.slice(last))));
  return nodes;
}

/** Code shows its tokens as typed. */
function unmarked(text, tokens) {
  return text.replace(MARKS, (mark) => tokens[mark.charCodeAt(0) - FIRST_MARK] ?? mark);
}

function formatted(text, tokens, context) {
  const nodes = [];
  let last = 0;
  const pattern = new RegExp(INLINE.source, 'g');
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const [whole, code] = match;
    const start = match.index;
    const end = start + whole.length;
    // Not formatting (inside a word, like data_sharing): look again from the next character.
    if (!code && !boundaryOk(text, start, end)) {
      pattern.lastIndex = start + 1;
      continue;
    }
    if (start > last) nodes.push(...plain(text.slice(last, start), tokens, context));
    const inner = whole.slice(1, -1);
    if (code) nodes.push(el('code', '', [unescapeMrkdwn(unmarked(inner, tokens))]));
    else {
      const tag = { '*': 'b', _: 'i', '~': 's' }[whole[0]];
      nodes.push(el(tag, '', formatted(inner, tokens, context)));
    }
    last = end;
  }
  if (last < text.length) nodes.push(...plain(text.slice(last), tokens, context));
  return nodes;
}

/**
 * One line's inline formatting. Mentions, channels, dates and links are taken out first, so formatting
 * characters inside them (a date's {date_short}, a URL's underscores) never split them.
 */
function inline(text, context) {
  const tokens = [];
  const masked = text.replace(TOKEN, (token) => {
    if (tokens.length >= MAX_TOKENS) return token;
    tokens.push(token);
    return String.fromCharCode(FIRST_MARK + tokens.length - 1);
  });
  return formatted(masked, tokens, context);
}

/** Renders mrkdwn text into a fragment: code blocks, quotes, lines, then inline formatting. */
export function mrkdwn(text, context) {
  const root = document.createDocumentFragment();
  const pieces = String(text ?? '').split(/```/);
  pieces.forEach((piece, i) => {
    if (i % 2 === 1) {
      root.append(el('pre', '', [unescapeMrkdwn(piece.replace(/^\n/, ''))]));
      return;
    }
    const lines = piece.split('\n');
    lines.forEach((line, j) => {
      const quote = /^(&gt;|>)\s?(.*)$/.exec(line);
      if (quote) root.append(el('blockquote', '', inline(quote[2], context)));
      else {
        root.append(...inline(line, context));
        if (j < lines.length - 1 && !/^(&gt;|>)/.test(lines[j + 1] ?? '')) root.append(el('br'));
      }
    });
  });
  return root;
}

/** plain_text objects: emoji codes become emoji, nothing else is formatted. */
export function plainText(text) {
  return emojify(String(text ?? ''));
}

export function textObject(object, context) {
  if (!object) return document.createDocumentFragment();
  if (object.type === 'mrkdwn') return mrkdwn(object.text, context);
  const fragment = document.createDocumentFragment();
  fragment.append(plainText(object.text));
  return fragment;
}
