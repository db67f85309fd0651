import type { BatchProgress } from '../../../src-main/core/api/contract';
import { statusLabel } from '../../../src-main/core/vocabulary/status-labels';
import { countEntries } from './BatchCounts';

const BAR_HEIGHT = 28;
const LABEL_WIDTH = 130;
const CHART_WIDTH = 520;

/** A plain SVG bar per outcome: no chart library, readable at a glance, printable. */
export function OutcomeChart({ counts }: { counts: BatchProgress['counts'] }) {
  const entries = countEntries(counts);
  const max = Math.max(1, ...entries.map(([, n]) => n));
  const barSpace = CHART_WIDTH - LABEL_WIDTH - 50;
  const height = entries.length * (BAR_HEIGHT + 10) + 10;
  const summary = entries.map(([key, n]) => `${statusLabel(key)}: ${n}`).join(', ');
  return (
    <svg className="outcome-chart" data-testid="outcome-chart" width={CHART_WIDTH} height={height} viewBox={`0 0 ${CHART_WIDTH} ${height}`} role="img" aria-label={`Call outcomes. ${summary}`}>
      {entries.map(([key, n], index) => {
        const y = 10 + index * (BAR_HEIGHT + 10);
        const width = Math.max(4, (n / max) * barSpace);
        return (
          <g key={key}>
            <text x={LABEL_WIDTH - 10} y={y + BAR_HEIGHT / 2 + 5} textAnchor="end" className="chart-label">
              {statusLabel(key)}
            </text>
            <rect x={LABEL_WIDTH} y={y} width={width} height={BAR_HEIGHT} rx={4} className={`bar bar-${key}`} />
            <text x={LABEL_WIDTH + width + 8} y={y + BAR_HEIGHT / 2 + 5} className="chart-value">
              {n}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
