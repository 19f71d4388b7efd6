import { useState } from 'preact/hooks';

/** Runs a write action and keeps its refusal (e.g. a token without `write`) to show beside the button. */
export function useAction(after: () => void) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      after();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { run, error, busy };
}
