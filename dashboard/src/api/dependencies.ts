import { get } from './client.js';

export interface DependencyMap {
  readonly nodes: readonly { id: string; kind: 'service' | 'external' }[];
  readonly edges: readonly { source: string; target: string; calls: number; errors: number; p95Ms: number | null }[];
}

export const getDependencies = (q: { from: number; to: number }) => get<DependencyMap>('/v1/dependencies', { ...q });
