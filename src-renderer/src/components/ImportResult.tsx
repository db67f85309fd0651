import type { ImportSummary } from '../../../src-main/core/api/contract';
import { plural } from '../status-words';

/**
 * What an import did, and every row it could not use with its line number in the file. Kept compact (the row
 * problems scroll in their own short box) so the appointment list below keeps most of the screen.
 */
export function ImportResult({ summary, onClose }: { summary: ImportSummary; onClose: () => void }) {
  const problems = summary.errors.length;
  if (summary.inserted + summary.updated + summary.unchanged + problems === 0) {
    // A file with only its heading row (or nothing at all) is not a successful import of nothing.
    return (
      <section className="panel import-summary has-problems" data-testid="import-summary" data-empty="true" aria-label="Import result">
        <div className="panel-head">
          <h2>No appointments found in {summary.fileName}</h2>
          <button type="button" className="button ghost" onClick={onClose}>
            Close
          </button>
        </div>
        <p data-testid="import-empty">The file has no rows below its column headings, so nothing was imported. Check that you picked the right file.</p>
      </section>
    );
  }
  return (
    <section className={`panel import-summary${problems ? ' has-problems' : ''}`} data-testid="import-summary" aria-label="Import result">
      <div className="panel-head import-head">
        <h2>Imported {summary.fileName}</h2>
        <p className="import-counts">
          <span data-testid="import-inserted">{summary.inserted} new</span> · <span>{summary.updated} updated</span> · <span>{summary.unchanged} already up to date</span> ·{' '}
          <span data-testid="import-error-count">{problems === 1 ? '1 row needs attention' : `${plural(problems, 'row')} need attention`}</span>
        </p>
        <button type="button" className="button ghost" onClick={onClose}>
          Close
        </button>
      </div>
      {problems > 0 && (
        <>
          <p>These rows were not imported. Fix them in the file and import it again (rows already imported are not duplicated).</p>
          <div className="table-scroll import-errors-scroll">
            <table className="simple-table" data-testid="import-errors">
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Column</th>
                  <th scope="col">Value</th>
                  <th scope="col">Problem</th>
                </tr>
              </thead>
              <tbody>
                {summary.errors.map((error, index) => (
                  <tr key={`${error.line}-${index}`}>
                    <td>{error.line}</td>
                    <td>{error.column ?? '—'}</td>
                    <td>{error.value ?? '—'}</td>
                    <td>{error.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

/** Base64 without building one giant string of char codes (files may be megabytes). */
export async function fileToBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}
