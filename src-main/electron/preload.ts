// The preload: the renderer's only door to the main process, one generic call derived from the contract, plus the
// shell's printing (print, openPdf). Sandboxed, so it imports nothing but electron and repeats the channel names of
// security.ts.
import { contextBridge, ipcRenderer } from 'electron';

const IPC_CALL = 'izisales:call';
const IPC_EVENT = 'izisales:event';
const IPC_ASK = 'izisales:ask';
const IPC_ANSWER = 'izisales:answer';
const IPC_PRINT = 'izisales:print';
const IPC_OPEN_PDF = 'izisales:open-pdf';

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
  /** Prints a PDF ({ pdfBase64, fileName } from documents.print) silently on the configured printer: { ok, printer | message }. */
  print: (doc: { pdfBase64: string; fileName: string }) => ipcRenderer.invoke(IPC_PRINT, doc?.pdfBase64, doc?.fileName),
  /** Opens a PDF in the system's viewer (the fallback when printing failed). */
  openPdf: (doc: { pdfBase64: string; fileName: string }) => ipcRenderer.invoke(IPC_OPEN_PDF, doc?.pdfBase64, doc?.fileName),
  /** The screens register how to answer a question: `answer('paymentOpen', () => isPaymentDialogOpen)`. */
  answer: (question: string, fn: () => unknown) => {
    if (!(QUESTIONS as readonly string[]).includes(question) || typeof fn !== 'function') return;
    answerers.set(question, fn);
  },
});
