// Calling the typed contract in-process, as the screens do over IPC or HTTP: log in, call, and read a refusal.
import type { Api } from '../../src-main/api';
import { expect } from 'vitest';
import { ApiError, type CallName, type CallOutput } from '../../src-shared/contract';

export interface ApiClient {
  /** The session token of a user logged in with their PIN. */
  login(username: string, pin: string): Promise<string>;
  call<K extends CallName>(name: K, input: unknown, token: string): Promise<CallOutput<K>>;
  /** The refusal's code and message, or 'accepted' as the code when the call went through. */
  refusal(name: CallName, input: unknown, token: string): Promise<{ code: string; message: string }>;
}

export function apiClient(api: () => Api): ApiClient {
  return {
    async login(username, pin) {
      return ((await api().invoke('auth.login', { username, pin }, undefined)) as { token: string }).token;
    },
    async call(name, input, token) {
      return (await api().invoke(name, input, token)) as CallOutput<typeof name>;
    },
    async refusal(name, input, token) {
      try {
        await api().invoke(name, input, token);
      } catch (e) {
        return { code: (e as { code: string }).code, message: (e as Error).message };
      }
      return { code: 'accepted', message: '' };
    },
  };
}

/** Asserts that `fn` (a direct service call) is refused with an ApiError whose message matches. */
export function refused(fn: () => unknown, message: RegExp): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ApiError);
  expect((err as ApiError).message).toMatch(message);
}
