// Phone numbers in logs and on screen: the country code and last four digits stay readable (enough
// for staff to tell calls apart), the rest is hidden. The mask has a fixed width so it does not
// reveal the number's length either. Pure and dependency-free: the renderer uses it too.

const MASK = '•••••••';

/** Calling codes are prefix-free: 1, 7 and 2-3 digit codes never collide, so the longest known prefix wins. */
const TWO_DIGIT_CODES = new Set([
  '20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45', '46', '47', '48', '49',
  '51', '52', '53', '54', '55', '56', '57', '58', '60', '61', '62', '63', '64', '65', '66', '81', '82', '84',
  '86', '90', '91', '92', '93', '94', '95', '98',
]);

function countryCodeOf(digits: string): string {
  if (digits.startsWith('1') || digits.startsWith('7')) return digits.slice(0, 1);
  if (TWO_DIGIT_CODES.has(digits.slice(0, 2))) return digits.slice(0, 2);
  return digits.slice(0, 3);
}

/** "+12125554567" -> "+1•••••••4567". Anything too short to keep four digits private is fully masked. */
export function maskPhone(e164: string): string {
  const digits = e164.replace(/\D/g, '');
  if (digits.length < 8) return MASK;
  return `+${countryCodeOf(digits)}${MASK}${digits.slice(-4)}`;
}
