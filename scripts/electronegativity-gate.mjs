#!/usr/bin/env node
// `npm run security` (part of `npm test`): scans src-main with @doyensec/electronegativity and fails on any HIGH or
// MEDIUM finding that security/electronegativity-allowlist.json does not explain.
//
//   node scripts/electronegativity-gate.mjs                     scan src-main, write test-results/electronegativity.csv
//   node scripts/electronegativity-gate.mjs --report FILE.csv   gate a report made elsewhere (`electronegativity -o FILE.csv`)
//
// Why not the electronegativity CLI: it requires whatever `commander` is hoisted, and this tree hoists commander 14
// (ours), under which the CLI crashes at start ("version is not a function"). Its runner, which the CLI only wraps,
// works; we call it with the options the CLI would pass (`-i src-main -e <electron version>`). The runner's own CSV
// writer is not used either: it writes the header and the rows with two concurrent fs.writeFile calls, so the rows
// can be lost. The report is written here, in the CLI's format, and the gate reads that file back.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { evaluateFindings, issuesToCsv, parseAllowlist, parseFindingsCsv, summaryLine } from './lib/electronegativity-findings.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const toRepoPath = (file) => path.relative(root, file).split(path.sep).join('/');

const { values } = parseArgs({
  options: {
    report: { type: 'string' },
    input: { type: 'string', default: 'src-main' },
    allowlist: { type: 'string', default: 'security/electronegativity-allowlist.json' },
    output: { type: 'string', default: 'test-results/electronegativity.csv' },
  },
  strict: true,
});

/** Files the scanner could not parse were not scanned; in the Electron shell that would hide real findings. */
function unscannedShellFiles(errors) {
  return errors.filter((error) => !error.tolerable && toRepoPath(error.file).startsWith('src-main/electron/'));
}

async function scan() {
  const input = path.resolve(root, values.input);
  const electronVersion = JSON.parse(fs.readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  const run = require('@doyensec/electronegativity/dist/runner.js');
  const result = await run(
    {
      input,
      output: undefined,
      isSarif: false,
      customScan: [],
      excludeFromScan: [],
      severitySet: undefined,
      confidenceSet: undefined,
      isRelative: false,
      isVerbose: true,
      electronUpgrade: undefined,
      // It cannot fetch Electron's release list here; the installed version is the one that ships.
      electronVersionOverride: electronVersion,
      parserPlugins: [],
    },
    false,
  );
  if (!result || result.atomicChecks === 0 || result.globalChecks === 0) throw new Error('electronegativity loaded no checks; the scan proves nothing');
  const unscanned = unscannedShellFiles(result.errors);
  if (unscanned.length > 0) {
    throw new Error(`electronegativity could not parse ${unscanned.map((e) => `${toRepoPath(e.file)} (${e.message})`).join(', ')}; these files were not checked`);
  }
  const reportFile = path.resolve(root, values.output);
  fs.mkdirSync(path.dirname(reportFile), { recursive: true });
  fs.writeFileSync(reportFile, issuesToCsv(result.issues, (file) => toRepoPath(path.resolve(input, file))));
  process.stdout.write(`electronegativity ${require('@doyensec/electronegativity/package.json').version}: ${result.atomicChecks + result.globalChecks} checks on ${toRepoPath(input)} for Electron ${electronVersion}; report: ${toRepoPath(reportFile)}\n`);
  return reportFile;
}

async function main() {
  const reportFile = values.report ? path.resolve(values.report) : await scan();
  const findings = parseFindingsCsv(fs.readFileSync(reportFile, 'utf8'));
  const allowlist = parseAllowlist(JSON.parse(fs.readFileSync(path.resolve(root, values.allowlist), 'utf8')));
  const result = evaluateFindings(findings, allowlist);

  for (const finding of result.allowed) process.stdout.write(`  allowed  ${finding.severity.padEnd(6)} ${finding.check} ${finding.file}:${finding.location}\n`);
  for (const finding of result.informational) process.stdout.write(`  info     ${finding.severity.padEnd(6)} ${finding.check} ${finding.file}:${finding.location} ${finding.description}\n`);
  for (const entry of result.stale) process.stdout.write(`  stale allowlist entry (matches nothing now): ${entry.check} ${entry.file}\n`);
  for (const finding of result.blocking) {
    process.stderr.write(
      `  BLOCKING ${finding.severity.padEnd(6)} ${finding.check} ${finding.file}:${finding.location}\n` +
        `           ${finding.description}\n` +
        (finding.sample ? `           ${finding.sample.split('\n')[0]}\n` : '') +
        `           Fix it, or explain it in ${values.allowlist}: { "check": "${finding.check}", "file": "${finding.file}", "reason": "…" }\n`,
    );
  }
  process.stdout.write(`${summaryLine(result)}\n`);
  process.exitCode = result.passed ? 0 : 1;
}

main().catch((error) => {
  process.stderr.write(`electronegativity gate: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
