import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * DynamoDB clients for a function instance. In local mode `endpoint` points at the embedded dynalite; in
 * AWS it is absent and the SDK uses the regional endpoint and the function's role.
 */
export function dynamoDbClient(
  options: {
    endpoint?: string;
    region?: string;
    /** SDK attempts per call (the ingest writer retries itself: 1). @default 5 */
    maxAttempts?: number;
    /** Abandon a call whose answer takes longer (no limit by default). */
    requestTimeoutMs?: number;
  } = {},
): DynamoDBClient {
  return new DynamoDBClient({
    ...(options.endpoint
      ? {
          endpoint: options.endpoint,
          region: options.region ?? 'local',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {}),
    ...(options.region ? { region: options.region } : {}),
    maxAttempts: options.maxAttempts ?? 5,
    ...(options.requestTimeoutMs
      ? {
          requestHandler: {
            requestTimeout: options.requestTimeoutMs,
            connectionTimeout: options.requestTimeoutMs,
            throwOnRequestTimeout: true,
          },
        }
      : {}),
  });
}

/** The document client over a DynamoDB client (plain JavaScript values in and out). */
export function documentClient(
  options: { endpoint?: string; region?: string } | DynamoDBClient = {},
): DynamoDBDocumentClient {
  const client = options instanceof DynamoDBClient ? options : dynamoDbClient(options);
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
