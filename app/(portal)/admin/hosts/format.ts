// Display helpers for the host pages.

export function gib(bytes: number | bigint): string {
  return `${(Number(bytes) / 2 ** 30).toFixed(Number(bytes) >= 100 * 2 ** 30 ? 0 : 1)} GiB`;
}

export function ago(date: Date | null, now = new Date()): string {
  if (!date) return "never";
  const s = Math.round((now.getTime() - date.getTime()) / 1000);
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return date.toISOString().slice(0, 16).replace("T", " ");
}

export const STATUS_BADGE: Record<string, string> = {
  ONLINE: "badge ok",
  PENDING_KEY: "badge warn",
  OFFLINE: "badge warn",
  ERROR: "badge bad",
  KEY_MISMATCH: "badge bad",
};
