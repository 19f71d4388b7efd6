/** Token scopes. `admin` implies every other scope. */
export const SCOPES = ['ingest', 'read', 'write', 'verify', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export function grants(held: readonly Scope[], required: Scope): boolean {
  return held.includes('admin') || held.includes(required);
}
