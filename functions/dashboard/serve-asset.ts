import { NotFoundError } from '../core/errors.js';
import { CACHE_IMMUTABLE, CACHE_REVALIDATE, SECURITY_HEADERS } from './security-headers.js';

export interface Asset {
  readonly type: string;
  readonly body: string;
  readonly immutable: boolean;
}

/** One dashboard file as an HTTP answer, with its cache policy and the security headers. */
export function serveAsset(assets: Readonly<Record<string, Asset>>, name: string) {
  const file = Object.hasOwn(assets, name) ? assets[name] : undefined;
  if (!file) throw new NotFoundError(`no dashboard file ${name}`);
  return {
    status: 200,
    text: file.body,
    headers: {
      'content-type': file.type,
      'cache-control': file.immutable ? CACHE_IMMUTABLE : CACHE_REVALIDATE,
      ...SECURITY_HEADERS,
    },
  };
}
