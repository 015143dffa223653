import type { Consent } from '../../src/sandbox/emulator/oauth.js';
import type { TestApp } from './app.js';

export interface InstallVisit {
  /** The Add to Slack page's status and the authorize link on it. */
  installPage: { status: number; link: string };
  /** The page the redirect back showed, and its status. */
  status: number;
  page: string;
  /** The state and the browser's cookie, to replay them. */
  state: string;
  cookie: string;
  callbackUrl: string;
}

const decode = (html: string) =>
  html.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, '&');

/**
 * A person adds Concert to a workspace the way a browser does, over HTTP: opens `/slack/install` (keeping its
 * state cookie), follows the Add to Slack link to Slack's authorize page (the fake, answering with `consent`),
 * and follows Slack's redirect back to `/slack/oauth_redirect` with the cookie.
 */
export async function installThroughSlack(t: TestApp, consent: Consent): Promise<InstallVisit> {
  const install = await fetch(`${t.url}/slack/install`);
  const html = await install.text();
  const link = decode(/href="([^"]+)"/.exec(html)?.[1] ?? '');
  const cookie = (install.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  t.fake.oauth?.consent(consent);
  const authorize = await fetch(link, { redirect: 'manual' });
  const callbackUrl = authorize.headers.get('location') ?? '';
  const state = new URL(callbackUrl).searchParams.get('state') ?? '';
  const back = await fetch(callbackUrl, { headers: { cookie } });
  await t.settled();
  return {
    installPage: { status: install.status, link },
    status: back.status,
    page: await back.text(),
    state,
    cookie,
    callbackUrl,
  };
}
