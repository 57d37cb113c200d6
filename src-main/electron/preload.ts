// The preload: the renderer's only door to the main process, one generic call derived from the contract. Sandboxed,
// so it imports nothing but electron and repeats the channel names of security.ts.
import { contextBridge, ipcRenderer } from 'electron';

const IPC_CALL = 'izisales:call';
const IPC_EVENT = 'izisales:event';
const IPC_ASK = 'izisales:ask';
const IPC_ANSWER = 'izisales:answer';

/** Questions the main process may ask the screens (only these), e.g. before quitting. */
const QUESTIONS = ['paymentOpen'] as const;
const answerers = new Map<string, () => unknown>();

ipcRenderer.on(IPC_ASK, (_e, id: number, question: string) => {
  let value: unknown = null;
  try {
    value = answerers.get(question)?.() ?? null;
  } catch {
    value = null;
  }
  ipcRenderer.send(IPC_ANSWER, id, value);
});

contextBridge.exposeInMainWorld('izisales', {
  call: (name: string, input: unknown, token?: string) => ipcRenderer.invoke(IPC_CALL, name, input, token),
  on: (event: string, fn: (payload: unknown) => void) => {
    const listener = (_e: unknown, name: string, payload: unknown) => {
      if (name === event) fn(payload);
    };
    ipcRenderer.on(IPC_EVENT, listener);
    return () => ipcRenderer.removeListener(IPC_EVENT, listener);
  },
  /** The screens register how to answer a question: `answer('paymentOpen', () => isPaymentDialogOpen)`. */
  answer: (question: string, fn: () => unknown) => {
    if (!(QUESTIONS as readonly string[]).includes(question) || typeof fn !== 'function') return;
    answerers.set(question, fn);
  },
});
