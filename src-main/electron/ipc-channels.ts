// The only two IPC channels between the window and the main process. Kept in a file with no imports so the
// sandboxed preload bundles nothing but these strings.

/** renderer → main: `ipcRenderer.invoke(IPC_INVOKE_CHANNEL, { operation, args })`, answered with an Envelope. */
export const IPC_INVOKE_CHANNEL = 'reminder-desk:invoke';

/** main → renderer: `{ event, payload }` for each pushed ApiEvents event. */
export const IPC_EVENT_CHANNEL = 'reminder-desk:event';
