import type { AppState, HandlerSlice } from '../api/contract';
import type { AppointmentService } from '../appointments/appointment-service';
import type { EngineContext } from '../engine-context';
import { setMeta } from '../store/app-meta';
import { countPracticeData } from '../store/practice-data';
import { loadSampleAppointments } from './load-sample';
import type { PracticeMode } from './practice-mode';

export function practiceHandlers(
  ctx: EngineContext,
  practice: Pick<PracticeMode, 'enable' | 'disable' | 'active'>,
  state: () => AppState,
  importFile: AppointmentService['importFile'],
): HandlerSlice<'setup/start-practice' | 'setup/leave-practice' | 'setup/practice-data' | 'practice/load-sample'> {
  return {
    'setup/start-practice': async () => {
      await practice.enable();
      return state();
    },

    // What the leave-practice confirmation says about the practice data (kept apart, or deleted if staff choose).
    'setup/practice-data': () => countPracticeData(ctx.db),

    'setup/leave-practice': async ({ practiceData }) => {
      const result = await practice.disable({ deletePracticeData: practiceData === 'delete' });
      // The wizard opens again so the real Twilio account, caller number and call updates get set up.
      setMeta(ctx.db, 'setup_complete', '0');
      return { ...state(), practiceData: result };
    },

    'practice/load-sample': () => loadSampleAppointments({ practice: practice.active, file: ctx.sampleAppointmentsFile, importFile, workDir: ctx.dataDir, nowMs: ctx.clock(), timezone: ctx.getSettings().scheduling.timezone }),
  };
}
