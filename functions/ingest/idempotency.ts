import { createHash } from 'node:crypto';
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyPersistenceLayerError,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { BadRequestError, ConflictError, DomainError, ServiceUnavailableError } from '../core/errors.js';

/**
 * `Idempotency-Key` support through Powertools idempotency: the first request with a key runs and its
 * answer is stored; a retry with the same key gets the stored answer and writes nothing. Keys are scoped to
 * the token and route, so two clients cannot collide; the body's hash is checked, so reusing a key for a
 * different batch is refused instead of silently answered with the old result.
 */
export interface IdempotentCall {
  /** `{tokenId}:{route}:{Idempotency-Key}` */
  readonly key: string;
  readonly bodyHash: string;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!KEY_PATTERN.test(header)) throw new BadRequestError('Idempotency-Key must be 1–255 visible ASCII characters');
  return header;
}

export const hashBody = (raw: Buffer | undefined) =>
  createHash('sha256')
    .update(raw ?? Buffer.alloc(0))
    .digest('hex');

export function idempotentRunner<T extends Record<string, unknown>>(options: {
  client: DynamoDBClient;
  table: string;
  ttlSeconds: number;
}): (call: IdempotentCall, run: () => Promise<T>, context: Context) => Promise<T> {
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: options.table,
    awsSdkV3Client: options.client,
    keyAttr: 'id',
    expiryAttr: 'expiration',
  });
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'key',
    payloadValidationJmesPath: 'bodyHash',
    expiresAfterSeconds: options.ttlSeconds,
    throwOnNoIdempotencyKey: true,
  });
  // Only `key` and `bodyHash` are hashed (JMESPath), so the function to run can travel in the payload.
  const once = makeIdempotent(async (call: IdempotentCall & { run: () => Promise<T> }) => call.run(), {
    persistenceStore,
    config,
  });
  return async (call, run, context) => {
    // The invocation's remaining time is what expires an in-progress lock after a crash.
    config.registerLambdaContext(context);
    try {
      return (await once({ ...call, run })) as T;
    } catch (error) {
      if (error instanceof IdempotencyAlreadyInProgressError) {
        throw new ConflictError('a request with this Idempotency-Key is still in progress; retry shortly');
      }
      if (error instanceof IdempotencyValidationError) {
        throw new DomainError(
          'this Idempotency-Key was already used for a different body',
          422,
          'Idempotency key reused',
        );
      }
      if (error instanceof IdempotencyPersistenceLayerError) {
        throw new ServiceUnavailableError(
          'the idempotency record could not be read or written (storage unavailable); send the request again later with the same Idempotency-Key',
        );
      }
      // Powertools wraps errors thrown by the function; a domain error (400 for an all-invalid batch) keeps its meaning.
      const cause = (error as { cause?: unknown }).cause;
      throw cause instanceof DomainError ? cause : error;
    }
  };
}
