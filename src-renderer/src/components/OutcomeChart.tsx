const BAR_HEIGHT = 28;
const LABEL_WIDTH = 140;
const CHART_WIDTH = 520;

export interface ChartEntry {
  key: string;
  label: string;
  n: number;
}

/**
 * A plain SVG bar per OUTCOME (never a live state such as Ringing): no chart library, readable at a glance,
 * printable. Entries with no calls are left out.
 */
export function OutcomeChart({ entries }: { entries: ChartEntry[] }) {
  const shown = entries.filter((e) => e.n > 0);
  if (shown.length === 0) return null;
  const max = Math.max(1, ...shown.map((e) => e.n));
  const barSpace = CHART_WIDTH - LABEL_WIDTH - 50;
  const height = shown.length * (BAR_HEIGHT + 10) + 10;
  const summary = shown.map((e) => `${e.label}: ${e.n}`).join(', ');
  return (
    <svg className="outcome-chart" data-testid="outcome-chart" width={CHART_WIDTH} height={height} viewBox={`0 0 ${CHART_WIDTH} ${height}`} role="img" aria-label={`Call outcomes. ${summary}`}>
      {shown.map((entry, index) => {
        const y = 10 + index * (BAR_HEIGHT + 10);
        const width = Math.max(4, (entry.n / max) * barSpace);
        return (
          <g key={entry.key} data-testid={`chart-${entry.key}`}>
            <text x={LABEL_WIDTH - 10} y={y + BAR_HEIGHT / 2 + 5} textAnchor="end" className="chart-label">
              {entry.label}
            </text>
            <rect x={LABEL_WIDTH} y={y} width={width} height={BAR_HEIGHT} rx={4} className={`bar bar-${entry.key}`} />
            <text x={LABEL_WIDTH + width + 8} y={y + BAR_HEIGHT / 2 + 5} className="chart-value">
              {entry.n}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
