import type { AppState, HandlerSlice } from '../api/contract';
import type { AppointmentService } from '../appointments/appointment-service';
import type { EngineContext } from '../engine-context';
import { setMeta } from '../store/app-meta';
import { loadSampleAppointments } from './load-sample';
import type { PracticeMode } from './practice-mode';

export function practiceHandlers(
  ctx: EngineContext,
  practice: Pick<PracticeMode, 'enable' | 'disable' | 'active'>,
  state: () => AppState,
  importFile: AppointmentService['importFile'],
): HandlerSlice<'setup/start-practice' | 'setup/leave-practice' | 'practice/load-sample'> {
  return {
    'setup/start-practice': async () => {
      await practice.enable();
      return state();
    },

    'setup/leave-practice': async () => {
      await practice.disable();
      // The wizard opens again so the real Twilio account, caller number and call updates get set up.
      setMeta(ctx.db, 'setup_complete', '0');
      return state();
    },

    'practice/load-sample': () => loadSampleAppointments({ practice: practice.active, file: ctx.sampleAppointmentsFile, importFile }),
  };
}
