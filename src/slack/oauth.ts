import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Authorize, Logger as BoltLogger, CustomRoute } from '@slack/bolt';
import { type CodedError, ErrorCode, InstallProvider, type InstallURLOptions } from '@slack/oauth';
import type { WebClientOptions } from '@slack/web-api';
import { boltLogger, type Logger } from '../logger.js';
import { installedPage, installFailedPage, installPage } from '../views/install-pages.js';
import { BOT_SCOPES, type Installations } from './installations.js';

/**
 * A Web API client's logger for OAuth calls: its debug lines would carry the request body, whose
 * `client_secret` and `code` the client does not redact (only fields named like a token); the rest passes.
 */
export function withoutDebug(logger: Logger): BoltLogger {
  const base = boltLogger(logger, 'oauth');
  return {
    debug: () => {},
    info: (...m) => base.info(...m),
    warn: (...m) => base.warn(...m),
    error: (...m) => base.error(...m),
    setLevel: (level) => base.setLevel(level),
    getLevel: () => base.getLevel(),
    setName: (name) => base.setName(name),
  };
}

export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

function html(res: ServerResponse, status: number, body: string): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}

/** Why an install did not go through, in the words of the person who tried. */
export function failureReason(error: CodedError): string {
  switch (error.code) {
    case ErrorCode.AuthorizationError:
      return 'The install was cancelled in Slack, so Concert was not added to the workspace.';
    case ErrorCode.InvalidStateError:
    case ErrorCode.MissingStateError:
      return 'This install link is not one Concert gave this browser, has expired (after ten minutes), or was used already.';
    case ErrorCode.MissingCodeError:
      return 'Slack sent no authorization code back, so the install could not be finished.';
    default: {
      const slackError = (error as { data?: { error?: string } }).data?.error;
      return slackError
        ? `Slack did not confirm the install (${slackError}).`
        : 'The install could not be finished; the error was logged for whoever runs Concert.';
    }
  }
}

export interface OAuthOptions {
  installations: Installations;
  clientId: string;
  clientSecret: string;
  log: Logger;
  /** The Web API address (SLACK_API_URL); Slack's authorize page is beside it. */
  apiUrl: string | undefined;
  clientOptions?: WebClientOptions;
}

/**
 * Bolt's InstallProvider over Concert's installation and state stores: the routes `GET /slack/install` (the
 * Add to Slack page; it sets the state cookie) and `GET /slack/oauth_redirect` (state checked against the
 * cookie and used once, the code exchanged with oauth.v2.access, the installation stored), as custom routes
 * so they are served in HTTP and Socket Mode alike; and the `authorize` that gives each request its
 * workspace's bot (Installations.bot, which refreshes a rotating token first).
 */
export function oauthInstall(options: OAuthOptions): {
  routes: CustomRoute[];
  authorize: Authorize<boolean>;
} {
  const { installations, log, apiUrl } = options;
  const installer = new InstallProvider({
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    installationStore: installations,
    stateStore: installations.stateStore,
    installUrlOptions: { scopes: [...BOT_SCOPES] },
    renderHtmlForInstallPath: installPage,
    ...(apiUrl ? { authorizationUrl: new URL('../oauth/v2/authorize', apiUrl).toString() } : {}),
    clientOptions: { ...(apiUrl ? { slackApiUrl: apiUrl } : {}), ...options.clientOptions },
    logger: {
      debug: (...m) => log.debug(m.map(String).join(' ')),
      info: (...m) => log.info(m.map(String).join(' ')),
      warn: (...m) => log.warn(m.map(String).join(' ')),
      error: (...m) => log.debug(m.map(String).join(' ')),
      setLevel: () => {},
      getLevel: () => 'info' as never,
      setName: () => {},
    },
  });
  const callbackOptions = {
    // Slack may grant fewer scopes than asked (an admin's approval rules): such an install is not stored.
    afterInstallation: async (
      installation: { bot?: { scopes: string[] } },
      _options: InstallURLOptions,
      _req: IncomingMessage,
      res: ServerResponse,
    ) => {
      const granted = new Set(installation.bot?.scopes ?? []);
      const missing = BOT_SCOPES.filter((scope) => !granted.has(scope));
      if (missing.length === 0) return true;
      log.warn({ missing }, 'refused an install without the scopes Concert needs');
      html(
        res,
        400,
        installFailedPage(
          `Slack did not grant Concert every permission it needs (missing: ${missing.join(', ')}). Ask a workspace admin to approve them, then add Concert again.`,
        ),
      );
      return false;
    },
    successAsync: async (
      installation: { team?: { name?: string }; enterprise?: { name?: string } },
      _o: unknown,
      _q: unknown,
      res: ServerResponse,
    ) => html(res, 200, installedPage(installation.team?.name ?? installation.enterprise?.name)),
    failureAsync: async (error: CodedError, _o: unknown, _q: unknown, res: ServerResponse) => {
      log.warn({ code: error.code, reason: error.message }, 'an install did not go through');
      html(res, 400, installFailedPage(failureReason(error)));
    },
  };
  const routes: CustomRoute[] = [
    {
      path: INSTALL_PATH,
      method: ['GET'],
      handler: (req, res) => void installer.handleInstallPath(req, res),
    },
    {
      path: REDIRECT_PATH,
      method: ['GET'],
      handler: (req, res) => void installer.handleCallback(req, res, callbackOptions as never),
    },
  ];
  // An org-wide install's requests name the workspace (teamId) and its org (enterpriseId): the org's token
  // answers, and the workspace's own data is kept under its team ID.
  const authorize: Authorize<boolean> = async (source) => {
    const bot = await installations.bot(source.teamId ?? source.enterpriseId ?? '', source.enterpriseId);
    return {
      botToken: bot.botToken,
      botId: bot.botId,
      botUserId: bot.botUserId,
      teamId: bot.teamId,
      ...(bot.enterpriseId ? { enterpriseId: bot.enterpriseId } : {}),
    };
  };
  return { routes, authorize };
}
