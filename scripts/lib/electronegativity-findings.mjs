// Reading electronegativity's CSV report and deciding whether it passes: every HIGH or MEDIUM finding must
// either be fixed or be listed, with a reason a reviewer can check, in security/electronegativity-allowlist.json.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

export const BLOCKING_SEVERITIES = ['HIGH', 'MEDIUM'];
const CSV_COLUMNS = ['issue', 'severity', 'confidence', 'filename', 'location', 'sample', 'description', 'url'];
const MIN_REASON_LENGTH = 30;

/**
 * Rows of electronegativity's CSV (`-o report.csv`): header `issue, severity, confidence, filename, location,
 * sample, description, url`; paths use forward slashes so an allowlist written on one OS matches on another.
 * @param {string} text
 */
export function parseFindingsCsv(text) {
  /** @type {Record<string, string>[]} */
  const rows = parse(text, { columns: (header) => header.map((name) => name.trim().toLowerCase()), skip_empty_lines: true, relax_column_count: true, trim: true });
  return rows.map((row) => {
    if (!row.issue || !row.severity) throw new Error(`Not an electronegativity report row: ${JSON.stringify(row).slice(0, 200)}`);
    return {
      check: row.issue,
      severity: row.severity.toUpperCase(),
      confidence: (row.confidence ?? '').toUpperCase(),
      file: (row.filename ?? 'N/A').replaceAll('\\', '/'),
      location: row.location ?? '',
      sample: row.sample === 'N/A' ? '' : (row.sample ?? ''),
      description: row.description ?? '',
    };
  });
}

/**
 * The same CSV from the issues electronegativity's runner returns (its own writer races its header against
 * the rows, see scripts/electronegativity-gate.mjs).
 * @param {{ id: string, severity: { name: string }, confidence: { name: string }, file: string, location?: { line: number, column: number }, sample?: string, description: string }[]} issues
 * @param {(file: string) => string} relativeFile
 */
export function issuesToCsv(issues, relativeFile) {
  const records = issues.map((issue) => [
    issue.id,
    issue.severity.name,
    issue.confidence.name,
    issue.file === 'N/A' ? 'N/A' : relativeFile(issue.file),
    issue.location ? `${issue.location.line}:${issue.location.column}` : '',
    issue.sample ?? 'N/A',
    issue.description,
    `https://github.com/doyensec/electronegativity/wiki/${issue.id}`,
  ]);
  return stringify(records, { header: true, columns: CSV_COLUMNS });
}

/**
 * @param {unknown} json the parsed allowlist file
 * @returns {{ check: string, file: string, reason: string, sample?: string }[]}
 * `sample` (optional) narrows an entry to findings whose flagged code contains it, so a new, different use of
 * the same API in the same file is not silently excused.
 */
export function parseAllowlist(json) {
  const entries = Array.isArray(json) ? json : json && typeof json === 'object' && Array.isArray(json.allow) ? json.allow : null;
  if (!entries) throw new Error('The allowlist must be a JSON array (or { "allow": [...] }) of { check, file, reason }');
  return entries.map((entry, index) => {
    const where = `allowlist entry ${index + 1}`;
    if (!entry || typeof entry !== 'object') throw new Error(`${where} is not an object`);
    const { check, file, reason, sample } = entry;
    if (typeof check !== 'string' || !check) throw new Error(`${where} needs "check" (e.g. OPEN_EXTERNAL_JS_CHECK)`);
    if (typeof file !== 'string' || !file) throw new Error(`${where} needs "file" (the path in the report, or N/A for global checks)`);
    if (typeof reason !== 'string' || reason.trim().length < MIN_REASON_LENGTH) {
      throw new Error(`${where} (${check} in ${file}) needs a "reason" explaining why the finding is safe (at least ${MIN_REASON_LENGTH} characters)`);
    }
    if (sample !== undefined && (typeof sample !== 'string' || !sample)) throw new Error(`${where}: "sample", when given, is the code the finding must contain`);
    return { check, file: file.replaceAll('\\', '/'), reason: reason.trim(), ...(sample ? { sample } : {}) };
  });
}

/**
 * @param {ReturnType<typeof parseFindingsCsv>} findings
 * @param {ReturnType<typeof parseAllowlist>} allowlist
 */
export function evaluateFindings(findings, allowlist) {
  const used = new Set();
  const blocking = [];
  const allowed = [];
  const informational = [];
  for (const finding of findings) {
    if (!BLOCKING_SEVERITIES.includes(finding.severity)) {
      informational.push(finding);
      continue;
    }
    const entry = allowlist.find(
      (candidate) =>
        candidate.check.toUpperCase() === finding.check.toUpperCase() &&
        candidate.file === finding.file &&
        (candidate.sample === undefined || finding.sample.includes(candidate.sample)),
    );
    if (entry) {
      used.add(entry);
      allowed.push({ ...finding, reason: entry.reason });
    } else blocking.push(finding);
  }
  // Entries matching nothing are reported (the code they excused is gone) but do not fail the gate.
  const stale = allowlist.filter((entry) => !used.has(entry));
  return { passed: blocking.length === 0, blocking, allowed, informational, stale };
}

/** @param {ReturnType<typeof evaluateFindings>} result */
export function summaryLine(result) {
  const verdict = result.passed ? 'PASSED' : 'FAILED';
  return (
    `electronegativity: ${verdict}: ${result.blocking.length} unexplained HIGH/MEDIUM, ` +
    `${result.allowed.length} allowlisted, ${result.informational.length} LOW/INFORMATIONAL` +
    (result.stale.length ? `, ${result.stale.length} allowlist entries match nothing` : '')
  );
}
