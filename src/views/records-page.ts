import type { PublicDecision, PublicRecords } from '../services/records.js';
import { chartLine } from './charts.js';

const KIND: Record<string, string> = {
  add_work_group: 'Add a work group',
  end_work_group: 'End a work group partnership',
  change_backbone: 'Change the backbone',
  other: 'Other',
};

const OUTCOME: Record<string, string> = {
  consensus: 'Consensus reached',
  blocked: 'Blocked',
  no_quorum: 'No quorum',
  no_consensus: 'No consensus',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The SVG elements a chart is drawn with: shapes and text, nothing that runs, links or embeds. */
const SVG_TAGS = new Set([
  'svg',
  'g',
  'path',
  'rect',
  'circle',
  'line',
  'text',
  'tspan',
  'title',
  'desc',
  'defs',
  'clipPath',
]);

/**
 * A chart's SVG as Vega drew it from data (every text in it escaped), kept only if every element is a shape
 * or text (SVG_TAGS) and no attribute is an event handler, a link or a style: otherwise left out, and its
 * line of numbers stays.
 */
export function safeSvg(svg: string): string | undefined {
  if (!svg.startsWith('<svg ')) return undefined;
  for (const [, tag = '', attributes = ''] of svg.matchAll(/<\/?([A-Za-z][\w:-]*)([^>]*)>/g)) {
    if (!SVG_TAGS.has(tag)) return undefined;
    const rest = attributes.replace(/\s([\w:-]+)="[^"]*"/g, (_, name: string) =>
      /^(on|href$|xlink:href$|style$)/i.test(name) ? '\u0000' : '',
    );
    if (rest.replace(/\/?\s*$/, '').trim() !== '') return undefined;
  }
  return svg;
}

function indicatorFigure({ chart, svg }: PublicRecords['indicators'][number]): string {
  const line = escapeHtml(chartLine(chart));
  const image = safeSvg(svg);
  return `<figure>${image ?? ''}<figcaption>${line}</figcaption></figure>`;
}

/** The public records as a plain, read-only page: no scripts, no forms; the indicators' trends as inline SVG. */
export function recordsPage(
  decisions: readonly PublicDecision[],
  indicators: PublicRecords['indicators'] = [],
): string {
  const rows = decisions
    .map((d) => {
      const tally = `${d.tally.support} support · ${d.tally.stand_aside} stand aside · ${d.tally.block} block`;
      const voters = d.voters
        ? `<br><small>Support: ${escapeHtml(d.voters.support.join(', ') || '—')} · Stand aside: ${escapeHtml(d.voters.stand_aside.join(', ') || '—')} · Block: ${escapeHtml(d.voters.block.join(', ') || '—')}</small>`
        : '';
      const statement = d.outcomeStatement
        ? `<br><small>${escapeHtml(d.outcomeStatement.decided)}${d.outcomeStatement.nextSteps.total > 0 ? ` · next steps: ${d.outcomeStatement.nextSteps.done} of ${d.outcomeStatement.nextSteps.total} done` : ''}</small>`
        : '';
      return `<tr><td>${escapeHtml(d.decidedOn ?? '')}</td><td>${escapeHtml(d.title)}</td><td>${escapeHtml(d.stage === 'group' ? 'End a partnership: the work group’s own vote' : (KIND[d.kind] ?? d.kind))}</td><td>${escapeHtml(OUTCOME[d.outcome] ?? d.outcome)}${statement}</td><td>${tally}${voters}</td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Decision records</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.5rem;border-bottom:1px solid #ddd;vertical-align:top}figure{margin:2rem 0}figure svg{max-width:100%;height:auto}</style>
</head><body>
<h1>Decision records</h1>
<p>Decisions of the coalition's Core by formal consensus. Also as <a href="/records.json">JSON</a>.</p>
<table><thead><tr><th>Decided</th><th>Proposal</th><th>Kind</th><th>Outcome</th><th>Tally</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="5">No decisions yet.</td></tr>'}
</tbody></table>
${indicators.length > 0 ? `<h2>Shared measurement</h2>\n<p>The indicators the coalition tracks the same way, as its work groups report them. A gap is a period with no value.</p>\n${indicators.map(indicatorFigure).join('\n')}` : ''}
</body></html>
`;
}
