import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../core/errors.js';

/**
 * Request bodies: decoded once, size-checked before parsing, and parsed as JSON when the content type
 * says so. Other content types are passed through raw to routes that accept them.
 */
export interface DecodedBody {
  readonly raw: Buffer | undefined;
  readonly contentType: string | undefined;
  readonly json: unknown;
}

export interface BodyOptions {
  readonly maxBytes: number;
  /** Media types the route accepts; JSON ones are parsed. */
  readonly accepts: readonly string[];
  /** `Content-Encoding` header: gzip, deflate and br bodies are decompressed (the limit applies after). */
  readonly contentEncoding?: string;
}

const decoders = {
  gzip: gunzipSync,
  'x-gzip': gunzipSync,
  deflate: inflateSync,
  br: brotliDecompressSync,
} as const;

/** Decompresses a body, refusing to inflate past the limit (a small bomb never gets to allocate). */
function decompress(raw: Buffer, encoding: string | undefined, maxBytes: number): Buffer {
  const name = encoding?.trim().toLowerCase();
  if (!name || name === 'identity') return raw;
  const decoder = decoders[name as keyof typeof decoders];
  if (!decoder) {
    throw new UnsupportedMediaTypeError(`content-encoding ${name} is not supported; use gzip, deflate, br or none`);
  }
  try {
    return decoder(raw, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      throw new PayloadTooLargeError(`body decompresses to more than the limit of ${maxBytes} bytes`);
    }
    throw new BadRequestError(`body is not valid ${name}: ${(error as Error).message}`);
  }
}

export function mediaType(header: string | undefined): string | undefined {
  return header?.split(';')[0]?.trim().toLowerCase() || undefined;
}

const isJson = (type: string) => type === 'application/json' || type.endsWith('+json');

export function decodeBody(
  body: string | undefined,
  isBase64Encoded: boolean,
  contentTypeHeader: string | undefined,
  options: BodyOptions,
): DecodedBody {
  const contentType = mediaType(contentTypeHeader);
  if (body === undefined || body === '') return { raw: undefined, contentType, json: undefined };
  const sent = Buffer.from(body, isBase64Encoded ? 'base64' : 'utf8');
  if (sent.length > options.maxBytes) {
    throw new PayloadTooLargeError(`body is ${sent.length} bytes; the limit is ${options.maxBytes} bytes`);
  }
  const raw = decompress(sent, options.contentEncoding, options.maxBytes);
  if (!contentType) {
    throw new UnsupportedMediaTypeError(`missing content-type; send one of: ${options.accepts.join(', ')}`);
  }
  if (!options.accepts.includes(contentType)) {
    throw new UnsupportedMediaTypeError(
      `content-type ${contentType} is not accepted here; send one of: ${options.accepts.join(', ')}`,
    );
  }
  if (!isJson(contentType)) return { raw, contentType, json: undefined };
  try {
    return { raw, contentType, json: JSON.parse(raw.toString('utf8')) };
  } catch (error) {
    throw new BadRequestError(`body is not valid JSON: ${(error as Error).message}`);
  }
}
