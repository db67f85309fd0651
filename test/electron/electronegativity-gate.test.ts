import { describe, expect, it } from 'vitest';
import { evaluateFindings, issuesToCsv, parseAllowlist, parseFindingsCsv, summaryLine } from '../../scripts/lib/electronegativity-findings.mjs';

// As electronegativity's CLI writes it (note the spaces after the commas in its header).
const CLI_REPORT = `issue, severity, confidence, filename, location, sample, description, url
LIMIT_NAVIGATION_GLOBAL_CHECK,"HIGH","CERTAIN","N/A","0:0",N/A,"Missing navigation limits using .on new-window and will-navigate events",https://github.com/doyensec/electronegativity/wiki/LIMIT_NAVIGATION_GLOBAL_CHECK
OPEN_EXTERNAL_JS_CHECK,"MEDIUM","TENTATIVE","src-main\\electron\\window.ts","78:2","deps.openExternal(external).catch((error) => log.warn(""x"", { error }));","Review the use of openExternal",https://github.com/doyensec/electronegativity/wiki/OPEN_EXTERNAL_JS_CHECK
CSP_GLOBAL_CHECK,"LOW","TENTATIVE","src-main/electron/window.ts","101:15",N/A,"Failed to parse CSP, it may not be valid.",https://github.com/doyensec/electronegativity/wiki/CSP_GLOBAL_CHECK
AUXCLICK_JS_CHECK,"MEDIUM","FIRM","src-main/electron/window.ts","12:4","new BrowserWindow({
  webPreferences: {}
})","Disable or limit the auxclick event",https://github.com/doyensec/electronegativity/wiki/AUXCLICK_JS_CHECK
`;

const openExternalEntry = {
  check: 'OPEN_EXTERNAL_JS_CHECK',
  file: 'src-main/electron/window.ts',
  sample: 'deps.openExternal(external)',
  reason: 'only http(s) URLs validated by safeExternalUrl reach openExternal',
};

describe('parseFindingsCsv', () => {
  it("reads the CLI's report, including quoted multi-line samples and Windows paths", () => {
    const findings = parseFindingsCsv(CLI_REPORT);
    expect(findings.map((f) => [f.check, f.severity, f.file])).toEqual([
      ['LIMIT_NAVIGATION_GLOBAL_CHECK', 'HIGH', 'N/A'],
      ['OPEN_EXTERNAL_JS_CHECK', 'MEDIUM', 'src-main/electron/window.ts'],
      ['CSP_GLOBAL_CHECK', 'LOW', 'src-main/electron/window.ts'],
      ['AUXCLICK_JS_CHECK', 'MEDIUM', 'src-main/electron/window.ts'],
    ]);
    expect(findings[1]!.sample).toBe('deps.openExternal(external).catch((error) => log.warn("x", { error }));');
    expect(findings[3]!.sample).toContain('webPreferences');
    expect(findings[0]!.sample).toBe('');
  });

  it('round-trips the report the gate writes from the runner issues', () => {
    const csv = issuesToCsv(
      [{ id: 'SANDBOX_JS_CHECK', severity: { name: 'MEDIUM' }, confidence: { name: 'FIRM' }, file: '/abs/src-main/electron/window.ts', location: { line: 3, column: 1 }, sample: 'a, "b"\nc', description: 'Use sandbox' }],
      (file) => file.replace('/abs/', ''),
    );
    expect(parseFindingsCsv(csv)).toEqual([
      { check: 'SANDBOX_JS_CHECK', severity: 'MEDIUM', confidence: 'FIRM', file: 'src-main/electron/window.ts', location: '3:1', sample: 'a, "b"\nc', description: 'Use sandbox' },
    ]);
  });

  it('refuses a file that is not an electronegativity report', () => {
    expect(() => parseFindingsCsv('name,phone\nAda,+15551234567\n')).toThrow(/Not an electronegativity report/);
  });
});

describe('parseAllowlist', () => {
  it('needs a real reason for every entry', () => {
    expect(() => parseAllowlist([{ check: 'X', file: 'a.ts', reason: 'fine' }])).toThrow(/needs a "reason"/);
    expect(() => parseAllowlist([{ check: 'X', reason: 'a long enough reason for the reviewer to read' }])).toThrow(/needs "file"/);
    expect(() => parseAllowlist({ nope: [] })).toThrow(/JSON array/);
    expect(parseAllowlist({ allow: [openExternalEntry] })).toEqual([openExternalEntry]);
  });
});

describe('evaluateFindings', () => {
  const findings = parseFindingsCsv(CLI_REPORT);

  it('fails on every HIGH or MEDIUM finding not explained, and ignores LOW ones', () => {
    const result = evaluateFindings(findings, []);
    expect(result.passed).toBe(false);
    expect(result.blocking.map((f) => f.check)).toEqual(['LIMIT_NAVIGATION_GLOBAL_CHECK', 'OPEN_EXTERNAL_JS_CHECK', 'AUXCLICK_JS_CHECK']);
    expect(result.informational.map((f) => f.check)).toEqual(['CSP_GLOBAL_CHECK']);
    expect(summaryLine(result)).toBe('electronegativity: FAILED: 3 unexplained HIGH/MEDIUM, 0 allowlisted, 1 LOW/INFORMATIONAL');
  });

  it('lets an allowlisted finding pass only in the file, and with the code, it was written for', () => {
    const allowlist = parseAllowlist([
      openExternalEntry,
      { check: 'limit_navigation_global_check', file: 'N/A', reason: 'checked by hand: will-navigate is handled in window.ts' },
      { check: 'AUXCLICK_JS_CHECK', file: 'src-main/electron/other.ts', reason: 'an entry for a different file must not excuse this one' },
    ]);
    const result = evaluateFindings(findings, allowlist);
    expect(result.allowed.map((f) => [f.check, f.reason])).toEqual([
      ['LIMIT_NAVIGATION_GLOBAL_CHECK', 'checked by hand: will-navigate is handled in window.ts'],
      ['OPEN_EXTERNAL_JS_CHECK', openExternalEntry.reason],
    ]);
    expect(result.blocking.map((f) => f.check)).toEqual(['AUXCLICK_JS_CHECK']);
    expect(result.stale).toEqual([allowlist[2]]);
  });

  it('does not excuse a different use of the same API when the entry names the code', () => {
    const other = parseFindingsCsv(CLI_REPORT.replace('deps.openExternal(external)', 'shell.openExternal(req.url)'));
    expect(evaluateFindings(other, parseAllowlist([openExternalEntry])).blocking.map((f) => f.check)).toContain('OPEN_EXTERNAL_JS_CHECK');
  });

  it('passes when everything serious is explained', () => {
    const allowlist = parseAllowlist([
      openExternalEntry,
      { check: 'LIMIT_NAVIGATION_GLOBAL_CHECK', file: 'N/A', reason: 'checked by hand: will-navigate is handled in window.ts' },
      { check: 'AUXCLICK_JS_CHECK', file: 'src-main/electron/window.ts', reason: "disableBlinkFeatures: 'Auxclick' is set on the window" },
    ]);
    const result = evaluateFindings(findings, allowlist);
    expect(result.passed).toBe(true);
    expect(summaryLine(result)).toBe('electronegativity: PASSED: 0 unexplained HIGH/MEDIUM, 3 allowlisted, 1 LOW/INFORMATIONAL');
  });
});
