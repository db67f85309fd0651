// Moved to vocabulary/ (the staff-words module masks numbers in error texts, and vocabulary imports no other room);
// kept here so existing imports keep working.
export { maskPhone } from '../vocabulary/mask-phone';
