import type { HandlerSlice } from '../api/contract';
import type { AppointmentService } from './appointment-service';

export function appointmentHandlers(appointments: AppointmentService): HandlerSlice<'appointments/list' | 'appointments/import' | 'appointments/timeline'> {
  return {
    'appointments/list': ({ day, status, search }) => appointments.list({ day, status, search }),
    'appointments/import': ({ fileName, contentBase64 }) => appointments.importUpload(fileName, { base64: contentBase64 }),
    'appointments/timeline': ({ appointmentId }) => appointments.timeline(appointmentId),
  };
}
