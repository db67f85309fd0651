import { contextBridge, ipcRenderer } from 'electron';
import { createApiBridge } from './preload-bridge';

// Runs sandboxed and context-isolated: the page gets `window.reminderDesk` (the contract's ApiClient) and
// cannot reach ipcRenderer, Node or Electron in any other way.
contextBridge.exposeInMainWorld('reminderDesk', createApiBridge(ipcRenderer));
