/** The pages of the Add to Slack flow: plain HTML, no scripts, no forms. */

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:3rem auto;max-width:40rem;padding:0 1rem}a.add{display:inline-block;padding:.6rem 1.2rem;border-radius:6px;background:#4a154b;color:#fff;text-decoration:none;font-weight:600}li{margin:.4rem 0}</style>
</head><body>
<h1>${escapeHtml(title)}</h1>
${body}
</body></html>
`;
}

/** `GET /slack/install`: what Concert is, and the Add to Slack button (`url`: Slack's authorize address). */
export function installPage(url: string): string {
  return page(
    'Add Concert to Slack',
    `<p>Concert keeps a collective impact coalition doing what it says it is going to do: weekly check-ins,
action steps with owners and due dates, decisions by formal consensus, and a digest for the backbone.</p>
<p>A workspace admin, or anyone allowed to install apps, can add it. Slack will ask you to allow what
Concert needs, then bring you back here.</p>
<p><a class="add" href="${escapeHtml(url)}">Add to Slack</a></p>`,
  );
}

/** After a stored install: what to do next in Slack. */
export function installedPage(teamName: string | undefined): string {
  const where = teamName ? ` in ${escapeHtml(teamName)}` : '';
  return page(
    'Concert is installed',
    `<p>Concert is now part of your workspace${where}. Three steps and your coalition can start:</p>
<ol>
<li>Pick a channel for the backbone and one for the Core, and invite <strong>@Concert</strong> to both
(<code>/invite @Concert</code> in each; needed for private channels).</li>
<li>Run <code>/concert setup</code> and choose those two channels, your time zone and working hours.</li>
<li>A backbone member runs <code>/concert group #channel</code> for each work group.</li>
</ol>
<p><code>/concert help</code> lists every command. You can close this page.</p>`,
  );
}

/** A refused, cancelled or failed install: why, and that nothing was stored. */
export function installFailedPage(reason: string): string {
  return page(
    'Concert was not installed',
    `<p>${escapeHtml(reason)}</p>
<p>Nothing was stored. To try again, start from the <a href="/slack/install">Add to Slack page</a>.</p>`,
  );
}
