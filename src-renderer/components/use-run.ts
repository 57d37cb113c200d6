// What an action leaves on a screen: its error or its notice. `run` clears both, runs the action and turns a failure
// into the error's sentence (the contract's message by default, or the screen's own reading of it).
import { useCallback, useState } from 'react';
import { errorMessage } from '../api';

export function useRun(describe: (e: unknown) => string = errorMessage) {
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const run = useCallback(async (fn: () => Promise<void>) => {
    setError(null);
    setNotice(null);
    try {
      await fn();
    } catch (e) {
      setError(describe(e));
    }
  }, [describe]);
  return { error, setError, notice, setNotice, run };
}
