/** An instant as the page shows it: minutes, UTC. */
export const utcMinute = (d: Date | string) => `${new Date(d).toISOString().slice(0, 16).replace("T", " ")} UTC`;

const SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹";

/**
 * A pool's figure (held, free…) grouped in thousands; from a trillion on (an IPv6 segment holds
 * 2^64 addresses) its first two digits, ≈ 1.8 × 10¹⁹, which a reader can take in. The API keeps exact figures.
 */
export function figure(n: number | string): string {
  const digits = BigInt(n).toString();
  if (digits.length <= 12) return BigInt(n).toLocaleString("en-US").replaceAll(",", " ");
  const exponent = String(digits.length - 1).replace(/\d/g, (d) => SUPERSCRIPT[Number(d)]!);
  return `≈ ${digits[0]}.${digits[1]} × 10${exponent}`;
}
