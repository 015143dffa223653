// The sandbox page: who you are, the sidebar, a conversation with its thread, the composer, App Home, the
// modal in front of you, and the clock. Everything it shows is read back from the sandbox server.
import { blockIdOf, initialState, renderBlocks } from './blocks.js';
import { mrkdwn } from './mrkdwn.js';

const $ = (selector) => document.querySelector(selector);

function el(tag, className, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) if (child !== undefined && child !== null) node.append(child);
  return node;
}

const page = {
  user: localStorage.getItem('concert-sandbox-user') ?? '',
  conversation: localStorage.getItem('concert-sandbox-conversation') ?? 'home',
  thread: null,
  state: null,
  /** What each person has seen of each conversation, for the marks on the sidebar. */
  seen: {},
  /** The coalition the page's memory below belongs to; a Reset or a restart sets up another. */
  run: null,
  /** Values typed into open modals, by person and view ID, in Slack's state shape. */
  forms: {},
  /** Field errors from the last submission of each open modal, by view ID. */
  errors: {},
  homeOpenedFor: null,
  busy: 0,
};

async function api(path, body) {
  const response = await fetch(path, {
    method: body ? 'POST' : 'GET',
    headers: body ? { 'content-type': 'application/json' } : {},
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const result = await response.json();
  if (!response.ok || result.ok === false)
    throw new Error(result.error ?? `The sandbox answered ${response.status}`);
  return result;
}

/** Runs a page action, showing that something is happening and what went wrong if it did. */
async function act(path, body) {
  page.busy++;
  document.body.classList.add('busy');
  try {
    const result = await api(path, { user: page.user, ...body });
    await refresh();
    return result;
  } catch (error) {
    toast(error.message);
    return undefined;
  } finally {
    page.busy--;
    if (page.busy === 0) document.body.classList.remove('busy');
  }
}

function toast(text) {
  const node = el('div', 'toast', [text]);
  node.setAttribute('role', 'status');
  $('#toasts').append(node);
  setTimeout(() => node.remove(), 6000);
}

// ---- reading the state ----

let refreshing = null;
let again = false;

async function refresh() {
  if (refreshing) {
    again = true;
    return refreshing;
  }
  refreshing = (async () => {
    do {
      again = false;
      const query = new URLSearchParams({ user: page.user, conversation: page.conversation });
      if (page.thread) query.set('thread', page.thread);
      page.state = await api(`/api/state?${query}`);
      forgetClosed(page.state);
      render();
    } while (again);
  })();
  try {
    await refreshing;
  } finally {
    refreshing = null;
  }
}

/** Drops what the page kept of the last coalition; view IDs start over in a new one. */
function forgetRun() {
  page.forms = {};
  page.errors = {};
  page.seen = {};
  page.homeOpenedFor = null;
}

/** Keeps typed values and errors only for forms still open, and none from another coalition. */
function forgetClosed(state) {
  if (!state.ready) return;
  if (state.run !== page.run) {
    page.run = state.run;
    forgetRun();
    return;
  }
  if (!state.me) return;
  const open = new Set(state.modalIds);
  const mine = page.forms[state.me] ?? {};
  for (const id of Object.keys(mine)) {
    if (open.has(id)) continue;
    delete mine[id];
    delete page.errors[id];
  }
}

function listen() {
  const events = new EventSource('/api/events');
  events.onmessage = () => void refresh().catch(() => {});
}

// ---- who is who ----

function person(id) {
  return page.state?.people?.find((p) => p.id === id);
}

function textContext() {
  const me = person(page.user);
  return {
    me: page.user,
    tz: me?.tz ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    now: new Date(page.state.now),
    personName: (id) => person(id)?.realName,
    channelName: (id) => {
      const channel = page.state.channels[id];
      // Slack does not reveal the name of a private channel to someone outside it.
      return channel && (!channel.isPrivate || channel.member)
        ? channel.name
        : channel
          ? 'private channel'
          : undefined;
    },
    openConversation: (id) => openConversation(id),
  };
}

function initials(name) {
  return name
    .split(/\s+/)
    .map((w) => w[0])
    .join('')
    .slice(0, 2)
    .toUpperCase();
}

function avatar(id) {
  const who = person(id);
  const node = el('div', `avatar${who?.isBot ? ' avatar-app' : ''}`, [
    who?.isBot ? '♪' : initials(who?.realName ?? id),
  ]);
  const hue = [...id].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 360, 7);
  if (!who?.isBot) node.style.background = `hsl(${hue} 45% 42%)`;
  return node;
}

function timeOf(ts, withDay) {
  const tz = person(page.user)?.tz;
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: tz,
    ...(withDay ? { weekday: 'short', day: 'numeric', month: 'short' } : {}),
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(Number(ts) * 1000));
}

// ---- drawing ----

function render() {
  const s = page.state;
  $('#starting').hidden = s.ready;
  $('#starting-text').textContent = s.problem ?? 'Setting up the sandbox coalition…';
  if (!s.ready) return;
  renderClock();
  renderWhoAmI();
  const chooser = !s.me;
  $('#chooser').hidden = !chooser;
  $('#workspace').hidden = chooser;
  if (chooser) {
    renderChooser();
    return;
  }
  if (page.conversation !== 'home' && !s.conversations.some((c) => c.id === page.conversation)) {
    page.conversation = 'home';
  }
  renderSidebar();
  renderMain();
  renderThread();
  renderModal();
}

function renderClock() {
  const now = new Date(page.state.now);
  const tz = person(page.user)?.tz ?? 'UTC';
  $('#clock-now').textContent = new Intl.DateTimeFormat('en-GB', {
    timeZone: tz,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(now);
  $('#clock-zone').textContent = tz.replace(/_/g, ' ');
  renderJump('checkin', 'No work group has a check-in coming.');
  renderJump('proposal', 'No proposal is open for a vote.');
}

/**
 * A named jump is enabled only when there is somewhere to go. The reason sits on a wrapper, since a
 * disabled button shows no tooltip in every browser.
 */
function renderJump(name, nothing) {
  const target = page.state.jumps?.[name];
  const button = $(`#jump-${name}`);
  button.disabled = !target;
  const tip = target ? `Jump to ${dayTime(new Date(target.at))}, when ${target.what}` : nothing;
  button.title = tip;
  $(`#jump-${name}-wrap`).title = tip;
}

function dayTime(date) {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: person(page.user)?.tz ?? 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(date);
}

function renderWhoAmI() {
  const select = $('#whoami');
  const humans = page.state.people.filter((p) => !p.isBot);
  if (select.options.length !== humans.length + 1) {
    select.replaceChildren(el('option', '', ['Choose who you are']));
    select.options[0].value = '';
    for (const p of humans) {
      const option = el('option', '', [`${p.realName}${p.roles.length ? ` — ${p.roles.join(', ')}` : ''}`]);
      option.value = p.id;
      select.append(option);
    }
  }
  select.value = page.state.me ?? '';
}

function renderChooser() {
  const grid = $('#people');
  grid.replaceChildren(
    ...page.state.people
      .filter((p) => !p.isBot)
      .map((p) => {
        const card = el('button', 'person-card', [
          avatar(p.id),
          el('div', 'person-text', [
            el('div', 'person-name', [p.realName]),
            el('div', 'person-roles', [p.roles.join(' · ') || 'No coalition role']),
            el('div', 'person-tz', [p.tz.replace(/_/g, ' ')]),
          ]),
        ]);
        card.type = 'button';
        card.dataset.user = p.id;
        card.addEventListener('click', () => becomeUser(p.id));
        return card;
      }),
  );
}

function isNew(conversation) {
  const seen = page.seen[page.user]?.[conversation.id];
  return conversation.latest !== null && seen !== undefined && Number(conversation.latest) > Number(seen);
}

function markSeen() {
  page.seen[page.user] ??= {};
  const mine = page.seen[page.user];
  for (const c of page.state.conversations) {
    if (mine[c.id] === undefined || c.id === page.conversation) mine[c.id] = c.latest ?? '0';
  }
}

function sidebarItem(label, id, options = {}) {
  const item = el(
    'button',
    `sidebar-item${page.conversation === id ? ' active' : ''}${options.unread ? ' unread' : ''}`,
    [el('span', 'sidebar-icon', [options.icon ?? '#']), el('span', 'sidebar-label', [label])],
  );
  item.type = 'button';
  item.dataset.conversation = id;
  if (options.unread) item.append(el('span', 'badge', ['•']));
  item.addEventListener('click', () => openConversation(id));
  return item;
}

function renderSidebar() {
  const s = page.state;
  markSeen();
  const me = person(page.user);
  $('#me').replaceChildren(
    avatar(page.user),
    el('div', '', [
      el('b', '', [me.realName]),
      el('div', 'me-roles', [me.roles.join(' · ') || 'No coalition role']),
    ]),
  );
  const joined = s.conversations.filter((c) => c.kind === 'channel' && c.member);
  const others = s.conversations.filter((c) => c.kind === 'channel' && !c.member);
  const dms = s.conversations.filter((c) => c.kind === 'dm');
  $('#sidebar-apps').replaceChildren(sidebarItem('Concert — App Home', 'home', { icon: '⌂' }));
  $('#sidebar-channels').replaceChildren(
    ...joined.map((c) => sidebarItem(c.name, c.id, { icon: c.isPrivate ? '🔒' : '#', unread: isNew(c) })),
  );
  $('#sidebar-more').replaceChildren(
    ...others.map((c) => sidebarItem(c.name, c.id, { icon: c.isPrivate ? '🔒' : '#' })),
  );
  $('#sidebar-more-title').hidden = others.length === 0;
  $('#sidebar-dms').replaceChildren(
    ...dms.map((c) => sidebarItem(c.name, c.id, { icon: '♪', unread: isNew(c) })),
  );
}

function surfaceContext(surface, extra = {}) {
  return {
    text: textContext(),
    people: page.state.people,
    channels: page.state.conversations,
    confirm,
    act: (blockIndex, element, chosen) =>
      act('/api/action', { surface, blockIndex, actionId: element.action_id, chosen, ...extra.payload?.() }),
    idPrefix: `${surface.kind}-${surface.ts ?? surface.viewId ?? 'home'}`,
    ...extra,
  };
}

function messageNode(message, conversation, options = {}) {
  const who = person(message.user);
  const name = el('span', 'message-author', [who?.realName ?? message.user]);
  const header = el('div', 'message-header', [name]);
  if (who?.isBot) header.append(el('span', 'app-badge', ['APP']));
  header.append(el('span', 'message-time', [timeOf(message.ts, true)]));
  const surface = message.ephemeral
    ? { kind: 'ephemeral', channel: conversation, responseUrl: message.responseUrl }
    : { kind: 'message', channel: conversation, ts: message.ts };
  const body =
    message.blocks.length > 0
      ? renderBlocks(message.blocks, surfaceContext(surface))
      : el('div', 'message-text', [mrkdwn(message.text, textContext())]);
  const content = el('div', 'message-content', [header, body]);
  if (message.files?.length > 0) content.append(fileList(message.files));
  if (message.ephemeral) content.append(el('div', 'ephemeral-note', ['Only visible to you']));
  if (!options.inThread && message.replyCount > 0) {
    const replies = el('button', 'replies-link', [
      `${message.replyCount} ${message.replyCount === 1 ? 'reply' : 'replies'}`,
    ]);
    replies.type = 'button';
    replies.addEventListener('click', () => openThread(message.ts));
    content.append(replies);
  }
  const node = el('div', `message${message.ephemeral ? ' ephemeral' : ''}`, [avatar(message.user), content]);
  node.dataset.ts = message.ts;
  if (!message.ephemeral) node.append(messageMenu(message, conversation, options));
  return node;
}

/** Files shared with a message, each a download from the page server. */
function fileList(files) {
  return el(
    'div',
    'message-files',
    files.map((file) => {
      const link = el('a', 'file-link', [el('span', 'file-icon', ['📄']), file.title || file.name]);
      link.href = `/api/files/${encodeURIComponent(file.id)}`;
      link.download = file.name;
      link.title = `Download ${file.name}`;
      return link;
    }),
  );
}

function messageMenu(message, conversation, options) {
  const menu = el('div', 'message-menu');
  if (!options.inThread) {
    const reply = el('button', 'menu-button', ['Reply in thread']);
    reply.type = 'button';
    reply.addEventListener('click', () => openThread(message.ts));
    menu.append(reply);
  }
  for (const shortcut of page.state.shortcuts) {
    const button = el('button', 'menu-button', [shortcut.name]);
    button.type = 'button';
    button.title = 'A message shortcut (More actions)';
    button.addEventListener('click', () =>
      act('/api/shortcut', { callbackId: shortcut.callbackId, channel: conversation, ts: message.ts }),
    );
    menu.append(button);
  }
  return menu;
}

function renderMain() {
  const s = page.state;
  const main = $('#conversation');
  const composer = $('#composer');
  if (page.conversation === 'home') {
    $('#conversation-title').textContent = 'Concert';
    $('#conversation-subtitle').textContent = 'App Home';
    $('#conversation-actions').replaceChildren();
    composer.hidden = true;
    main.replaceChildren(
      s.home
        ? el('div', 'home', [renderBlocks(s.home.blocks, surfaceContext({ kind: 'home' }))])
        : el('div', 'empty', ['Opening App Home…']),
    );
    if (page.homeOpenedFor !== page.user) {
      page.homeOpenedFor = page.user;
      void act('/api/home', {});
    }
    return;
  }
  const conversation = s.conversations.find((c) => c.id === page.conversation);
  const dm = conversation.kind === 'dm';
  $('#conversation-title').textContent = dm
    ? 'Concert'
    : `${conversation.isPrivate ? '🔒 ' : '# '}${conversation.name}`;
  $('#conversation-subtitle').textContent = dm
    ? 'Your messages with the app'
    : conversation.member
      ? ''
      : 'You are not in this channel';
  const actions = $('#conversation-actions');
  actions.replaceChildren();
  if (!dm && !conversation.isPrivate) {
    const button = el('button', 'small-button', [conversation.member ? 'Leave channel' : 'Join channel']);
    button.type = 'button';
    button.addEventListener('click', () =>
      act('/api/join', { channel: conversation.id, leave: conversation.member }),
    );
    actions.append(button);
  }
  composer.hidden = !conversation.member;
  $('#composer-input').placeholder = dm
    ? `Message Concert, or type ${s.commands.join(', ')}`
    : `Message #${conversation.name}, or type ${s.commands.join(', ')}`;
  const stick = main.scrollTop + main.clientHeight >= main.scrollHeight - 40;
  main.replaceChildren(
    ...(s.messages.length === 0 ? [el('div', 'empty', ['Nothing here yet.'])] : []),
    ...s.messages.map((m) => messageNode(m, conversation.id)),
  );
  if (stick || page.scrollToEnd) main.scrollTop = main.scrollHeight;
  page.scrollToEnd = false;
}

function renderThread() {
  const pane = $('#thread');
  const messages = page.state.thread ?? [];
  pane.hidden = !page.thread || messages.length === 0 || page.conversation === 'home';
  if (pane.hidden) return;
  $('#thread-messages').replaceChildren(
    ...messages.map((m) => messageNode(m, page.conversation, { inThread: true })),
  );
}

// ---- modals ----

function formOf(view) {
  page.forms[page.user] ??= {};
  page.forms[page.user][view.id] ??= {};
  const form = page.forms[page.user][view.id];
  (view.blocks ?? []).forEach((block, index) => {
    if (block.type !== 'input') return;
    const blockId = blockIdOf(block, index);
    const action = block.element.action_id;
    form[blockId] ??= {};
    // Slack keeps what the person typed when the app updates the view, unless the input itself is new.
    form[blockId][action] ??= initialState(block.element);
  });
  return form;
}

/** The values to submit: only inputs the current view still has. */
function valuesOf(view) {
  const form = formOf(view);
  const values = {};
  (view.blocks ?? []).forEach((block, index) => {
    if (block.type !== 'input') return;
    const blockId = blockIdOf(block, index);
    values[blockId] = { [block.element.action_id]: form[blockId][block.element.action_id] };
  });
  return values;
}

function renderModal() {
  const overlay = $('#modal');
  const shown = page.state.modal;
  overlay.hidden = !shown;
  if (!shown) return;
  const view = shown.view;
  const form = formOf(view);
  const focused = document.activeElement?.id;
  $('#modal-title').textContent = view.title?.text ?? '';
  $('#modal-back').hidden = page.state.modalDepth < 2;
  const context = surfaceContext(
    { kind: 'modal', viewId: shown.id },
    {
      values: form,
      errors: page.errors[shown.id] ?? {},
      setValue: (blockId, actionId, state) => {
        form[blockId][actionId] = state;
      },
      payload: () => ({ values: valuesOf(view) }),
    },
  );
  $('#modal-body').replaceChildren(renderBlocks(view.blocks, context));
  const submit = $('#modal-submit');
  submit.hidden = !view.submit;
  submit.textContent = view.submit?.text ?? 'Submit';
  $('#modal-cancel').textContent = view.close?.text ?? 'Cancel';
  if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
}

async function submitModal() {
  const shown = page.state.modal;
  if (!shown) return;
  const result = await act('/api/submit', { viewId: shown.id, values: valuesOf(shown.view) });
  const answer = result?.answer;
  if (answer && answer.response_action === 'errors') {
    page.errors[shown.id] = answer.errors ?? {};
  } else if (result) {
    delete page.errors[shown.id];
  }
  render();
}

async function closeModal() {
  const shown = page.state.modal;
  if (!shown) return;
  await act('/api/close', { viewId: shown.id, values: valuesOf(shown.view) });
}

/** A Block Kit confirmation dialog; resolves to whether the person confirmed. */
function confirm(dialog) {
  return new Promise((resolve) => {
    const box = $('#confirm');
    $('#confirm-title').textContent = dialog.title?.text ?? 'Are you sure?';
    $('#confirm-text').replaceChildren(
      dialog.text?.type === 'mrkdwn' ? mrkdwn(dialog.text.text, textContext()) : (dialog.text?.text ?? ''),
    );
    const yes = $('#confirm-yes');
    const no = $('#confirm-no');
    yes.textContent = dialog.confirm?.text ?? 'Yes';
    no.textContent = dialog.deny?.text ?? 'Cancel';
    yes.className = `bk-button ${dialog.style === 'danger' ? 'bk-danger' : 'bk-primary'}`;
    box.hidden = false;
    const done = (answer) => {
      box.hidden = true;
      yes.onclick = null;
      no.onclick = null;
      resolve(answer);
    };
    yes.onclick = () => done(true);
    no.onclick = () => done(false);
  });
}

// ---- navigation and input ----

function becomeUser(id) {
  page.user = id;
  page.thread = null;
  page.homeOpenedFor = null;
  localStorage.setItem('concert-sandbox-user', id);
  void refresh();
}

function openConversation(id) {
  page.conversation = id;
  page.thread = null;
  page.scrollToEnd = true;
  if (id === 'home') page.homeOpenedFor = null;
  localStorage.setItem('concert-sandbox-conversation', id);
  void refresh();
}

function openThread(ts) {
  page.thread = ts;
  void refresh();
}

async function send(input, threadTs) {
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  page.scrollToEnd = true;
  const result = await act('/api/send', {
    channel: page.conversation,
    text,
    ...(threadTs ? { threadTs } : {}),
  });
  if (!result) input.value = text;
}

function parseJump(text) {
  const match = /^\s*(\d+)\s*(m|min|minutes?|h|hours?|d|days?|w|weeks?)?\s*$/i.exec(text);
  if (!match) return undefined;
  const n = Number(match[1]);
  const unit = (match[2] ?? 'h').toLowerCase()[0];
  return n * { m: 1, h: 60, d: 1440, w: 10080 }[unit];
}

/** Jumps by `minutes`, or to a named moment (`{ to: 'checkin' }`). */
async function jump(how) {
  $('#clock').classList.add('moving');
  try {
    await act('/api/clock', typeof how === 'number' ? { minutes: how } : how);
  } finally {
    $('#clock').classList.remove('moving');
  }
}

function wire() {
  $('#whoami').addEventListener('change', (event) => becomeUser(event.target.value));
  $('#composer').addEventListener('submit', (event) => {
    event.preventDefault();
    void send($('#composer-input'));
  });
  $('#composer-input').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void send($('#composer-input'));
    }
  });
  $('#thread-composer').addEventListener('submit', (event) => {
    event.preventDefault();
    void send($('#thread-input'), page.thread);
  });
  $('#thread-close').addEventListener('click', () => {
    page.thread = null;
    void refresh();
  });
  $('#modal-submit').addEventListener('click', () => void submitModal());
  $('#modal-cancel').addEventListener('click', () => void closeModal());
  $('#modal-x').addEventListener('click', () => void closeModal());
  $('#modal-back').addEventListener('click', () => void closeModal());
  $('#jump-hour').addEventListener('click', () => void jump(60));
  $('#jump-day').addEventListener('click', () => void jump(1440));
  $('#jump-checkin').addEventListener('click', () => void jump({ to: 'checkin' }));
  $('#jump-proposal').addEventListener('click', () => void jump({ to: 'proposal' }));
  $('#jump-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const minutes = parseJump($('#jump-amount').value);
    if (minutes === undefined) toast('Say how far to jump, like 30m, 3h, 2d or 1w.');
    else void jump(minutes);
  });
  $('#reset').addEventListener('click', async () => {
    const sure = await confirm({
      title: { text: 'Reset the sandbox?' },
      text: { type: 'plain_text', text: 'Everything done here is wiped and the coalition is seeded again.' },
      confirm: { text: 'Reset' },
      style: 'danger',
    });
    if (!sure) return;
    forgetRun();
    await act('/api/reset', {});
  });
}

wire();
listen();
void refresh().catch((error) => toast(error.message));
