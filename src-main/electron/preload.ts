// The preload: the renderer's only door to the main process, one generic call derived from the contract.
import { contextBridge, ipcRenderer } from 'electron';

const IPC_CALL = 'izisales:call';
const IPC_EVENT = 'izisales:event';

contextBridge.exposeInMainWorld('izisales', {
  call: (name: string, input: unknown, token?: string) => ipcRenderer.invoke(IPC_CALL, name, input, token),
  on: (event: string, fn: (payload: unknown) => void) => {
    const listener = (_e: unknown, name: string, payload: unknown) => {
      if (name === event) fn(payload);
    };
    ipcRenderer.on(IPC_EVENT, listener);
    return () => ipcRenderer.removeListener(IPC_EVENT, listener);
  },
});
