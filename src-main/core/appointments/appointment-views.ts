import type { AppointmentView } from '../api/contract';
import { toCallSummary } from '../calls/call-views';
import type { Appointment, CallAttempt } from '../domain';
import { maskPhone } from '../vocabulary/mask-phone';

export function toAppointmentView(appointment: Appointment, latest: CallAttempt | null | undefined, onDoNotCallList = false): AppointmentView {
  return {
    id: appointment.id,
    name: appointment.name,
    maskedPhone: maskPhone(appointment.phoneNumber),
    appointmentAt: appointment.appointmentAt,
    location: appointment.location,
    // A key pressed on the latest call is the freshest answer; the appointment keeps it across batches.
    confirmation: latest?.confirmation ?? appointment.confirmation,
    confirmedAt: latest?.confirmation ? latest.confirmedAt : appointment.confirmedAt,
    onDoNotCallList,
    call: latest ? toCallSummary(latest) : null,
  };
}
