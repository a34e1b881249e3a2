import { type EvalReport, parseReportJson } from './report-schema.ts';

/**
 * A report carried in a link's fragment: `#report=v1.<base64url(deflate-raw(UTF-8 JSON))>`. The fragment never
 * reaches a server. Compression is the platform's `CompressionStream('deflate-raw')` (browsers, Node ≥ 18); a
 * report whose fragment would pass {@link MAX_FRAGMENT_CHARS} is refused with its size, so the UI can say to share
 * the HTML or JSON file instead.
 */
export const FRAGMENT_PREFIX = 'report=v1.';
/** Longest fragment we make: links this long still survive chat apps and mail clients. */
export const MAX_FRAGMENT_CHARS = 32 * 1024;

export class ReportLinkError extends Error {
  override name = 'ReportLinkError';
}

// The core is compiled without DOM types: the few web-stream members used here, typed locally.
interface ByteStream {
  pipeThrough(transform: unknown): ByteStream;
}
interface WebStreams {
  CompressionStream: new (format: 'deflate-raw') => unknown;
  DecompressionStream: new (format: 'deflate-raw') => unknown;
  Blob: new (parts: Uint8Array[]) => { stream(): ByteStream };
  Response: new (body: ByteStream) => { arrayBuffer(): Promise<ArrayBuffer> };
}

function webStreams(): WebStreams {
  const g = globalThis as unknown as Partial<WebStreams>;
  if (!g.CompressionStream || !g.DecompressionStream || !g.Blob || !g.Response) throw new ReportLinkError('this platform has no CompressionStream');
  return g as WebStreams;
}

async function transform(bytes: Uint8Array, direction: 'compress' | 'decompress'): Promise<Uint8Array> {
  const w = webStreams();
  const stream = new w.Blob([bytes]).stream().pipeThrough(direction === 'compress' ? new w.CompressionStream('deflate-raw') : new w.DecompressionStream('deflate-raw'));
  return new Uint8Array(await new w.Response(stream).arrayBuffer());
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** RFC 4648 §5 base64url without padding. */
export function base64UrlEncode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
    for (let k = 0; k < chars; k++) out += ALPHABET[(n >> (18 - 6 * k)) & 63];
  }
  return out;
}

export function base64UrlDecode(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) throw new ReportLinkError('the link is damaged (not base64url)');
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const group = text.slice(i, i + 4);
    let n = 0;
    for (let k = 0; k < 4; k++) n = (n << 6) | (k < group.length ? ALPHABET.indexOf(group[k]!) : 0);
    const bytes = group.length - 1;
    for (let k = 0; k < bytes; k++) out[o++] = (n >> (16 - 8 * k)) & 255;
  }
  return out;
}

/** UTF-8 without TextEncoder (not in the core's ES lib types). */
function utf8Encode(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

function utf8Decode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const len = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 0;
    if (len === 0 || i + len > bytes.length) throw new ReportLinkError('the link is damaged (not UTF-8)');
    let c = len === 1 ? b : b & (0xff >> (len + 1));
    for (let k = 1; k < len; k++) c = (c << 6) | (bytes[i + k]! & 63);
    out += String.fromCodePoint(c);
    i += len;
  }
  return out;
}

/** The fragment (without `#`) carrying `report`; throws {@link ReportLinkError} when it would be too long. */
export async function reportToFragment(report: EvalReport, maxChars = MAX_FRAGMENT_CHARS): Promise<string> {
  const fragment = FRAGMENT_PREFIX + base64UrlEncode(await transform(utf8Encode(JSON.stringify(report)), 'compress'));
  if (fragment.length > maxChars) {
    throw new ReportLinkError(
      `the report is too large for a link: ${Math.ceil(fragment.length / 1024)} KiB compressed, the limit is ${Math.floor(maxChars / 1024)} KiB (frames take most room); share the HTML or JSON file instead`,
    );
  }
  return fragment;
}

/** The report in a link's fragment (with or without `#`), validated; throws with the reason when it is not one. */
export async function reportFromFragment(fragment: string): Promise<EvalReport> {
  const f = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  if (!f.startsWith(FRAGMENT_PREFIX)) throw new ReportLinkError(`the link carries no report (its fragment does not start with "${FRAGMENT_PREFIX}")`);
  let bytes: Uint8Array;
  try {
    bytes = await transform(base64UrlDecode(f.slice(FRAGMENT_PREFIX.length)), 'decompress');
  } catch (err) {
    if (err instanceof ReportLinkError) throw err;
    throw new ReportLinkError('the link is damaged (its data does not decompress)');
  }
  return parseReportJson(utf8Decode(bytes), 'link');
}
