import { createHash } from 'node:crypto';
import { type LineChart, renderPng } from '../charts/render.js';
import {
  findChartFile,
  releaseChartUpload,
  setChartFileId,
  storeChartFile,
  takeChartUpload,
} from '../db/chart-files.js';
import type { Db } from '../db/database.js';
import { type MessageSender, SendError } from './delivery.js';

/**
 * An image block's `slack_file.id` while its chart is not uploaded yet: this prefix, then the chart's key.
 * Stored so in the outbox, it is replaced by the Slack file's id just before the message is sent.
 */
export const CHART_FILE_PREFIX = 'concert-chart:';

/** How long one instance holds a chart's upload before another may take it over. */
export const CHART_UPLOAD_LEASE_MS = 2 * 60_000;

/** A chart drawn and stored: its key (the hash of its PNG) and the data it was drawn from. */
export interface StoredChart {
  key: string;
  chart: LineChart;
}

/**
 * Draws each chart to PNG (charts/render.ts) and stores it once per workspace under the hash of its bytes,
 * so the same chart asked for again (another tick, instance or command) is one file, uploaded once.
 */
export async function storeCharts(
  db: Db,
  teamId: string,
  charts: readonly LineChart[],
  now: Date,
): Promise<StoredChart[]> {
  const stored: StoredChart[] = [];
  for (const chart of charts) {
    const png = await renderPng(chart);
    const key = createHash('sha256').update(png).digest('hex').slice(0, 32);
    const name =
      chart.title
        .replace(/[^\p{L}\p{N}]+/gu, '-')
        .replace(/^-|-$/g, '')
        .toLowerCase() || 'chart';
    await storeChartFile(db, {
      teamId,
      key,
      filename: `${name.slice(0, 60)}.png`,
      title: chart.title,
      png,
      at: now,
    });
    stored.push({ key, chart });
  }
  return stored;
}

/**
 * The Slack file a stored chart was uploaded as, uploading it first if nobody has: one instance takes the
 * upload's lease and uploads; while another holds it, a SendError asks to try again shortly (the outbox
 * does). Undefined when the chart is not stored or the sender cannot upload: its image is left out.
 */
async function uploadedFileId(
  db: Db,
  sender: MessageSender,
  teamId: string,
  key: string,
  now: Date,
): Promise<string | undefined> {
  const file = await findChartFile(db, teamId, key);
  if (!file) return undefined;
  if (file.file_id) return file.file_id;
  if (!sender.upload) return undefined;
  if (!(await takeChartUpload(db, teamId, key, now, CHART_UPLOAD_LEASE_MS)))
    throw new SendError('chart_upload_under_way', false, { retryAfterMs: 5_000 });
  try {
    const fileId = await sender.upload({ filename: file.filename, title: file.title, content: file.png });
    await setChartFileId(db, teamId, key, fileId, now);
    return fileId;
  } catch (error) {
    await releaseChartUpload(db, teamId, key);
    throw error;
  }
}

interface ImageBlock {
  type: 'image';
  slack_file?: { id?: string };
}

function isChartImage(block: unknown): block is ImageBlock & { slack_file: { id: string } } {
  const b = block as ImageBlock | null;
  return (
    b?.type === 'image' &&
    typeof b.slack_file?.id === 'string' &&
    b.slack_file.id.startsWith(CHART_FILE_PREFIX)
  );
}

/**
 * The blocks with every chart's image pointing at its Slack file, each uploaded once (see uploadedFileId);
 * an image whose chart cannot be shown is left out, its text line under it stays.
 */
export async function withUploadedCharts(
  db: Db,
  sender: MessageSender,
  teamId: string,
  blocks: readonly unknown[] | null,
  now: Date,
): Promise<unknown[] | null> {
  if (!blocks?.some(isChartImage)) return blocks as unknown[] | null;
  const result: unknown[] = [];
  for (const block of blocks) {
    if (!isChartImage(block)) {
      result.push(block);
      continue;
    }
    const fileId = await uploadedFileId(
      db,
      sender,
      teamId,
      block.slack_file.id.slice(CHART_FILE_PREFIX.length),
      now,
    );
    if (fileId) result.push({ ...block, slack_file: { id: fileId } });
  }
  return result;
}
