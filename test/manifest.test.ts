import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BOT_SCOPES } from '../src/slack/installations.js';
import { COMMAND, SHORTCUT } from '../src/views/ids.js';

const manifest = parse(readFileSync(path.resolve(import.meta.dirname, '../manifest.yml'), 'utf8'));

describe('manifest.yml', () => {
  it('declares every command and shortcut the app routes, escaping what people type', () => {
    const commands = manifest.features.slash_commands;
    expect(commands.map((c: { command: string }) => c.command).sort()).toEqual(Object.values(COMMAND).sort());
    for (const command of commands) {
      expect(command.should_escape).toBe(true);
      expect(command.url).toMatch(/\/slack\/events$/);
    }
    expect(manifest.features.shortcuts.map((s: { callback_id: string }) => s.callback_id)).toEqual(
      Object.values(SHORTCUT),
    );
  });

  it('subscribes to the events the app handles and asks for no scope beyond them', () => {
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual([
      'app_home_opened',
      'app_uninstalled',
      'channel_archive',
      'channel_deleted',
      'channel_left',
      'channel_rename',
      'channel_unarchive',
      'group_archive',
      'group_deleted',
      'group_left',
      'group_rename',
      'group_unarchive',
      'member_joined_channel',
      'member_left_channel',
      'tokens_revoked',
      'user_change',
    ]);
    expect(manifest.oauth_config.scopes.bot).toEqual([
      'commands',
      'chat:write',
      'im:write',
      'users:read',
      'channels:read',
      'groups:read',
      'channels:join',
      'files:write',
      'channels:history',
      'groups:history',
      'im:history',
    ]);
    // The scopes OAuth mode asks for at install are the same.
    expect([...BOT_SCOPES]).toEqual(manifest.oauth_config.scopes.bot);
    expect(manifest.oauth_config.redirect_urls).toEqual(['https://concert.example.org/slack/oauth_redirect']);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });
});
