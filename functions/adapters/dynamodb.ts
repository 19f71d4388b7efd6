import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * DynamoDB clients for a function instance. In local mode `endpoint` points at the embedded dynalite; in
 * AWS it is absent and the SDK uses the regional endpoint and the function's role.
 */
export function dynamoDbClient(options: { endpoint?: string; region?: string } = {}): DynamoDBClient {
  return new DynamoDBClient({
    ...(options.endpoint
      ? {
          endpoint: options.endpoint,
          region: options.region ?? 'local',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {}),
    ...(options.region ? { region: options.region } : {}),
    maxAttempts: 5,
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
