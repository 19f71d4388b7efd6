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
  const raw = Buffer.from(body, isBase64Encoded ? 'base64' : 'utf8');
  if (raw.length > options.maxBytes) {
    throw new PayloadTooLargeError(`body is ${raw.length} bytes; the limit is ${options.maxBytes} bytes`);
  }
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
