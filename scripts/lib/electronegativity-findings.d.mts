export interface Finding {
  check: string;
  severity: string;
  confidence: string;
  file: string;
  location: string;
  sample: string;
  description: string;
}
export interface AllowEntry {
  check: string;
  file: string;
  reason: string;
  /** When given, the finding's flagged code must contain it. */
  sample?: string;
}
export interface GateResult {
  passed: boolean;
  blocking: Finding[];
  allowed: (Finding & { reason: string })[];
  informational: Finding[];
  stale: AllowEntry[];
}
export const BLOCKING_SEVERITIES: string[];
export function parseFindingsCsv(text: string): Finding[];
export function issuesToCsv(
  issues: { id: string; severity: { name: string }; confidence: { name: string }; file: string; location?: { line: number; column: number }; sample?: string; description: string }[],
  relativeFile: (file: string) => string,
): string;
export function parseAllowlist(json: unknown): AllowEntry[];
export function evaluateFindings(findings: Finding[], allowlist: AllowEntry[]): GateResult;
export function summaryLine(result: GateResult): string;
