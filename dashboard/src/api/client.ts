/**
 * The one way the dashboard calls Vigil: the session's token as a bearer, JSON in and out, and every refusal
 * turned into an ApiError that says what the API refused and why (its problem+json detail and field errors).
 * A 404 from the catch-all route means this deployment does not have that API yet.
 */
const TOKEN_KEY = 'vigil.token';

export const session = {
  token: (): string => sessionStorage.getItem(TOKEN_KEY) ?? '',
  signIn: (token: string) => sessionStorage.setItem(TOKEN_KEY, token.trim()),
  signOut: () => sessionStorage.removeItem(TOKEN_KEY),
};

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly path: string,
    readonly errors: readonly FieldError[] = [],
  ) {
    super(`${title}: ${detail}`);
  }

  /** The route itself is missing: the API of this view has not landed in this deployment. */
  get notAvailable(): boolean {
    return this.status === 404 && /^no route for /.test(this.detail);
  }

  get missingScope(): string | undefined {
    if (this.status !== 403) return undefined;
    return /scope[^a-z]*([a-z]+)/i.exec(this.detail)?.[1] ?? 'a needed';
  }
}

export type Query = Record<string, string | number | undefined>;

export function withQuery(path: string, query: Query = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `${path}?${s}` : path;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${session.token()}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  } catch (error) {
    throw new ApiError(0, 'Vigil is unreachable', (error as Error).message, path);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const p = (json ?? {}) as { title?: string; detail?: string; errors?: FieldError[] };
    throw new ApiError(res.status, p.title ?? res.statusText, p.detail ?? `status ${res.status}`, path, p.errors ?? []);
  }
  return json as T;
}

export const get = <T>(path: string, query?: Query) => api<T>('GET', withQuery(path, query));
