/** A file as Slack keeps it once an upload is completed: its bytes and where it was shared. */
export interface UploadedFile {
  id: string;
  filename: string;
  title: string;
  /** Its type, as Slack reads it from the file's name. */
  mimetype: string;
  content: Buffer;
  /** Set when files.completeUploadExternal shares it; undefined while only uploaded. */
  channel: string | undefined;
}

/**
 * Slack's current upload flow, as an emulator: files.getUploadURLExternal hands out an upload URL, the
 * bytes are posted there, files.completeUploadExternal shares the file in a conversation.
 */
export class FileUploads {
  readonly files = new Map<string, UploadedFile>();
  readonly #keep: number | undefined;
  #seq = 0;

  /** `keep`: how many of the latest files to keep, bytes and all; every one without it. */
  constructor(keep?: number) {
    this.#keep = keep;
  }

  start(args: { filename?: string; length?: string | number }, baseUrl: string) {
    if (!args.filename || !args.length) return { ok: false, error: 'invalid_arguments' };
    const id = `F${String(++this.#seq).padStart(6, '0')}`;
    this.files.set(id, {
      id,
      filename: String(args.filename),
      title: String(args.filename),
      mimetype: mimetypeOf(String(args.filename)),
      content: Buffer.alloc(0),
      channel: undefined,
    });
    for (const old of this.files.keys()) {
      if (this.#keep === undefined || this.files.size <= this.#keep) break;
      this.files.delete(old);
    }
    return { ok: true, file_id: id, upload_url: `${baseUrl}upload/${id}` };
  }

  /** The bytes of one upload; Slack's client sends them as the one part of a multipart form. */
  receive(id: string, body: Buffer, contentType: string): boolean {
    const file = this.files.get(id);
    if (!file) return false;
    file.content = filePart(body, contentType);
    return true;
  }

  /** Completes the uploads in `args.files`, shared in `channel` (already resolved) or nowhere. */
  complete(args: { files?: unknown }, channel: string | undefined) {
    const list = (typeof args.files === 'string' ? JSON.parse(args.files) : args.files) as
      | { id: string; title?: string }[]
      | undefined;
    if (!Array.isArray(list) || list.length === 0) return { ok: false, error: 'invalid_arguments' };
    const done = [];
    for (const entry of list) {
      const file = this.files.get(entry.id);
      if (!file || file.content.length === 0) return { ok: false, error: 'file_not_found' };
      if (entry.title) file.title = entry.title;
      file.channel = channel;
      done.push({ id: file.id, name: file.filename, title: file.title, mimetype: file.mimetype });
    }
    return { ok: true, files: done };
  }
}

const MIMETYPES: Record<string, string> = {
  csv: 'text/csv',
  txt: 'text/plain',
  json: 'application/json',
  pdf: 'application/pdf',
  png: 'image/png',
};

function mimetypeOf(filename: string): string {
  const extension = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase() ?? '';
  return MIMETYPES[extension] ?? 'application/octet-stream';
}

function filePart(body: Buffer, contentType: string): Buffer {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) return body;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const start = body.indexOf(delimiter);
  const headersEnd = body.indexOf('\r\n\r\n', start);
  const end = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headersEnd);
  return body.subarray(headersEnd + 4, end);
}
