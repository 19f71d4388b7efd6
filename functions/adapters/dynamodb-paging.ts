import { type DynamoDBDocumentClient, paginateQuery, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

/** The one paging loop over DynamoDB queries: every page of a query, or pages until a filtered page is full. */
export type Item = Record<string, unknown>;

/** Every item of a query, following pages (at most `max` items kept). */
export async function queryAll(
  client: DynamoDBDocumentClient,
  input: QueryCommandInput,
  options: { keep?: (item: Item) => boolean; max?: number; pageSize?: number } = {},
): Promise<Item[]> {
  const out: Item[] = [];
  const max = options.max ?? Number.POSITIVE_INFINITY;
  for await (const page of paginateQuery(
    { client, ...(options.pageSize ? { pageSize: options.pageSize } : {}) },
    input,
  )) {
    for (const item of page.Items ?? []) {
      if (options.keep && !options.keep(item)) continue;
      out.push(item);
      if (out.length >= max) return out;
    }
  }
  return out;
}

/**
 * Reads from `start` until `limit` items pass `keep` or the query ends. `last` is the key to resume from
 * when the page is full (the key of its last item, so filtered-out items never leave a gap or a repeat).
 */
export async function queryPage(
  client: DynamoDBDocumentClient,
  input: QueryCommandInput,
  options: {
    limit: number;
    start?: Item | undefined;
    keep?: (item: Item) => boolean;
    keyOf: (item: Item) => Item;
  },
): Promise<{ items: Item[]; last?: Item }> {
  const items: Item[] = [];
  for await (const page of paginateQuery(
    { client, pageSize: options.limit, ...(options.start ? { startingToken: options.start } : {}) },
    input,
  )) {
    for (const item of page.Items ?? []) {
      if (options.keep && !options.keep(item)) continue;
      items.push(item);
      if (items.length === options.limit) return { items, last: options.keyOf(item) };
    }
  }
  return { items };
}
