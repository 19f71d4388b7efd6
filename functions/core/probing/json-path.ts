/**
 * The small JSONPath subset a health check needs: `$`, `.name`, `['name']` and `[index]`, e.g.
 * `$.checks[0].status`. Anything fancier (filters, wildcards) is rejected when the target is saved.
 */
export type PathSegment = string | number;

const TOKEN = /^(?:\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['([^'\\]*)'\]|\["([^"\\]*)"\])/;

export function parseJsonPath(path: string): PathSegment[] | string {
  if (!path.startsWith('$')) return 'must start with "$"';
  const segments: PathSegment[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const m = TOKEN.exec(rest);
    if (!m) return `unsupported JSONPath syntax at "${rest.slice(0, 20)}" (use $.a.b[0] or $['a'])`;
    if (m[1] !== undefined) segments.push(m[1]);
    else if (m[2] !== undefined) segments.push(Number(m[2]));
    else segments.push((m[3] ?? m[4]) as string);
    rest = rest.slice(m[0].length);
  }
  return segments;
}

/** Why a path is not accepted, or undefined when it is. */
export function jsonPathProblem(path: string): string | undefined {
  const parsed = parseJsonPath(path);
  return typeof parsed === 'string' ? parsed : undefined;
}

/** The value at `path`, or `undefined` when any step is missing. */
export function valueAt(document: unknown, path: string): unknown {
  const segments = parseJsonPath(path);
  if (typeof segments === 'string') return undefined;
  let node: unknown = document;
  for (const segment of segments) {
    if (node === null || typeof node !== 'object') return undefined;
    if (typeof segment === 'number') {
      if (!Array.isArray(node)) return undefined;
      node = node[segment];
    } else {
      if (Array.isArray(node) || !Object.hasOwn(node, segment)) return undefined;
      node = (node as Record<string, unknown>)[segment];
    }
  }
  return node;
}
