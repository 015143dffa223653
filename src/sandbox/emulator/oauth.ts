import { randomBytes } from 'node:crypto';

/** What the next person to open Slack's authorize page does there. */
export interface Consent {
  teamId: string;
  teamName?: string;
  /** Who installs. */
  userId?: string;
  /** The scopes granted: those asked for unless given (an admin may approve fewer). */
  scopes?: string[];
  /** Cancel instead of Allow: Slack sends the person back with `error=access_denied`. */
  cancel?: boolean;
  /**
   * An Enterprise Grid org admin installs for the whole org (`org_deploy_enabled`): `teamId` is then the
   * org's enterprise ID, and Slack answers with the enterprise and no team.
   */
  orgWide?: boolean;
}

interface Grant {
  teamId: string;
  teamName: string;
  orgWide: boolean;
  userId: string;
  scopes: string[];
  redirectUri: string | undefined;
}

interface IssuedToken {
  teamId: string;
  teamName: string;
  /** Seconds since the epoch; with token rotation on, the token no longer works after it. */
  expiresAt: number | undefined;
  revoked: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: answers are arbitrary JSON, as Slack's are
type Json = any;

/** Where an install went, as oauth.v2.access says it: a workspace, or (org-wide) an enterprise and no team. */
const installedIn = (grant: Grant) =>
  grant.orgWide
    ? { team: null, enterprise: { id: grant.teamId, name: grant.teamName }, is_enterprise_install: true }
    : { team: { id: grant.teamId, name: grant.teamName }, enterprise: null, is_enterprise_install: false };

const secret = (prefix: string) => `${prefix}-${randomBytes(9).toString('hex')}`;

/**
 * Slack's side of OAuth v2 for the fake: the authorize page (`GET /oauth/v2/authorize`, answered at once by
 * the consent set beforehand), `oauth.v2.access` for the authorization code grant (each code once, within
 * ten minutes in Slack; here, once) and, with token rotation on, for the refresh token grant (each refresh
 * token once, as Slack's are). Tokens it issued are checked on every call: expired, revoked, or another
 * workspace's are answered as Slack answers them.
 */
export class FakeOAuth {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Slack's token rotation: tokens expire after `expiresIn` seconds and come with a refresh token. */
  rotation = false;
  expiresIn = 12 * 60 * 60;
  /** The app's redirect URL (OAuth & Permissions), used when the authorize link names none. */
  redirectUrl: string | undefined;
  /** Refresh grants answered, by workspace. */
  readonly refreshes = new Map<string, number>();
  readonly #consents: Consent[] = [];
  readonly #codes = new Map<string, Grant>();
  readonly #tokens = new Map<string, IssuedToken>();
  readonly #refreshTokens = new Map<string, { grant: Grant; used: boolean }>();
  readonly #nowSeconds: () => number;

  constructor(clientId: string, clientSecret: string, nowSeconds = () => Math.floor(Date.now() / 1000)) {
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.#nowSeconds = nowSeconds;
  }

  /** What the next visit to the authorize page does (queued: one consent per visit). */
  consent(consent: Consent): void {
    this.#consents.push(consent);
  }

  /** The authorize page's answer: where Slack sends the browser back, with a code or an error. */
  authorize(query: URLSearchParams): { status: number; location?: string; body?: string } {
    if (query.get('client_id') !== this.clientId) return { status: 400, body: 'invalid client_id' };
    const redirectUri = query.get('redirect_uri') ?? undefined;
    const to = redirectUri ?? this.redirectUrl;
    if (!to) return { status: 400, body: 'the app has no redirect URL' };
    const back = new URL(to);
    const state = query.get('state');
    if (state !== null) back.searchParams.set('state', state);
    const consent = this.#consents.shift();
    if (!consent) return { status: 400, body: 'no consent set for this visit' };
    if (consent.cancel) {
      back.searchParams.set('error', 'access_denied');
      return { status: 302, location: back.toString() };
    }
    const code = secret('code');
    this.#codes.set(code, {
      teamId: consent.teamId,
      teamName: consent.teamName ?? `Coalition ${consent.teamId}`,
      orgWide: consent.orgWide ?? false,
      userId: consent.userId ?? 'UINSTALLER',
      scopes: consent.scopes ?? (query.get('scope') ?? '').split(',').filter(Boolean),
      redirectUri,
    });
    back.searchParams.set('code', code);
    return { status: 302, location: back.toString() };
  }

  /** `oauth.v2.access`, as Slack answers it. */
  access(args: Json): Json {
    if (args.client_id !== this.clientId || args.client_secret !== this.clientSecret)
      return { ok: false, error: 'invalid_client_id' };
    if (args.grant_type === 'refresh_token') {
      const held = this.#refreshTokens.get(String(args.refresh_token));
      if (!held || held.used) return { ok: false, error: 'invalid_refresh_token' };
      held.used = true;
      this.refreshes.set(held.grant.teamId, (this.refreshes.get(held.grant.teamId) ?? 0) + 1);
      const issued = this.#issue(held.grant, true);
      return {
        ok: true,
        token_type: 'bot',
        access_token: issued.token,
        refresh_token: issued.refreshToken,
        expires_in: this.expiresIn,
        scope: held.grant.scopes.join(','),
        bot_user_id: 'UBOT',
        app_id: 'A0CONCERT',
        ...installedIn(held.grant),
      };
    }
    const grant = this.#codes.get(String(args.code));
    if (!grant) return { ok: false, error: 'invalid_code' };
    this.#codes.delete(String(args.code));
    if (grant.redirectUri !== undefined && args.redirect_uri !== grant.redirectUri)
      return { ok: false, error: 'bad_redirect_uri' };
    const issued = this.#issue(grant, this.rotation);
    return {
      ok: true,
      app_id: 'A0CONCERT',
      authed_user: { id: grant.userId },
      scope: grant.scopes.join(','),
      token_type: 'bot',
      access_token: issued.token,
      bot_user_id: 'UBOT',
      ...installedIn(grant),
      ...(issued.refreshToken ? { refresh_token: issued.refreshToken, expires_in: this.expiresIn } : {}),
    };
  }

  #issue(grant: Grant, rotating: boolean): { token: string; refreshToken: string | undefined } {
    const token = secret(rotating ? `xoxe.xoxb-${grant.teamId}` : `xoxb-${grant.teamId}`);
    this.#tokens.set(token, {
      teamId: grant.teamId,
      teamName: grant.teamName,
      expiresAt: rotating ? this.#nowSeconds() + this.expiresIn : undefined,
      revoked: false,
    });
    if (!rotating) return { token, refreshToken: undefined };
    const refreshToken = secret('xoxe-1');
    this.#refreshTokens.set(refreshToken, { grant, used: false });
    return { token, refreshToken };
  }

  /**
   * The workspace a token is for, or Slack's error for it; undefined for a token this fake did not issue
   * (a test's fixed token), which the fake takes as its one workspace's.
   */
  check(token: string): { teamId: string; teamName: string } | { error: string } | undefined {
    const issued = this.#tokens.get(token);
    if (!issued) return undefined;
    if (issued.revoked) return { error: 'token_revoked' };
    if (issued.expiresAt !== undefined && issued.expiresAt <= this.#nowSeconds())
      return { error: 'token_expired' };
    return { teamId: issued.teamId, teamName: issued.teamName };
  }

  /** The workspace uninstalled the app: every token issued for it stops working. */
  revoke(teamId: string): void {
    for (const issued of this.#tokens.values()) if (issued.teamId === teamId) issued.revoked = true;
  }

  /** The tokens issued for the workspace, newest last. */
  tokensOf(teamId: string): string[] {
    return [...this.#tokens].filter(([, t]) => t.teamId === teamId).map(([token]) => token);
  }
}
