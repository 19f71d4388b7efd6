import * as v from 'valibot';
import { stepSetting } from '../ingest/config.js';
import { type Env, readConfig } from '../platform/config.js';

/** The query function reads rollups at the resolution the ingest function writes them. */
const querySchema = v.object({ VIGIL_ROLLUP_STEP_SECONDS: stepSetting });

export function queryConfig(env: Env = process.env) {
  return readConfig(querySchema, env);
}
