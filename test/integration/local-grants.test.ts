import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../functions/catalog/functions.js';
import { startTestVigil } from '../support/local-vigil.js';

// Local mode hands each function only the tables its catalogue entry grants, as IAM does in AWS.
describe('grants hold locally', () => {
  const withoutProbes = {
    ...FUNCTIONS,
    targets: { ...FUNCTIONS.targets, tables: { tokens: 'read' } },
  } as const;

  it('a function whose entry lacks a table it uses fails at start, naming the table', async () => {
    await expect(startTestVigil({}, { functions: withoutProbes })).rejects.toThrow(
      /probes table is not granted to this function \(VIGIL_TABLE_PROBES is not set\)/,
    );
  });

  it('with the grant it starts and answers, and is given only its granted tables', async () => {
    const vigil = await startTestVigil();
    try {
      const res = await vigil.request('/v1/targets');
      expect(res.status).toBe(200);
      expect(Object.keys(vigil.environmentOf('targets')).filter((k) => k.startsWith('VIGIL_TABLE_'))).toEqual([
        'VIGIL_TABLE_TOKENS',
        'VIGIL_TABLE_PROBES',
      ]);
      expect(vigil.environmentOf('dashboard')).not.toHaveProperty('VIGIL_TABLE_TOKENS');
    } finally {
      await vigil.close();
    }
  });
});
