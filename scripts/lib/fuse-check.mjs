// Which Electron fuses a packaged app should have (electron-builder.yml `electronFuses`) against what its binary
// holds. Code signing rewrites the executable after the fuses were flipped; on Windows together with
// `enableEmbeddedAsarIntegrityValidation` that is an open electron-builder problem (the app then refuses to start:
// "Failed to find file integrity info"). Reading the wire back from the signed file is the check.

/** electron-builder's option names, in @electron/fuses' FuseV1Options order (the index into the wire). */
export const FUSE_INDEX = {
  runAsNode: 0,
  enableCookieEncryption: 1,
  enableNodeOptionsEnvironmentVariable: 2,
  enableNodeCliInspectArguments: 3,
  enableEmbeddedAsarIntegrityValidation: 4,
  onlyLoadAppFromAsar: 5,
  loadBrowserProcessSpecificV8Snapshot: 6,
  grantFileProtocolExtraPrivileges: 7,
};

// @electron/fuses' FuseState bytes.
const STATE_NAMES = { 48: 'off', 49: 'on', 114: 'removed', 144: 'inherit' };

/** The fuses electron-builder.yml asks for, with command-line overrides (e.g. integrity off for Windows). */
export function expectedFuses(builderConfig, overrides = {}) {
  const fuses = { ...(builderConfig?.electronFuses ?? {}), ...overrides };
  const expected = {};
  for (const [name, value] of Object.entries(fuses)) {
    if (!(name in FUSE_INDEX)) continue; // resetAdHocDarwinSignature is an instruction, not a fuse
    expected[name] = value ? 'on' : 'off';
  }
  return expected;
}

/**
 * Compares the wire read by @electron/fuses' getCurrentFuseWire ({ version, 0: 49, 1: 48, … }) with what is
 * expected. Returns one row per expected fuse; `ok` is false where the binary differs or lacks the fuse.
 */
export function compareFuses(expected, wire) {
  return Object.entries(expected).map(([fuse, want]) => {
    const byte = wire[FUSE_INDEX[fuse]];
    const actual = byte === undefined ? 'missing' : (STATE_NAMES[byte] ?? `unknown (${byte})`);
    return { fuse, expected: want, actual, ok: actual === want };
  });
}
