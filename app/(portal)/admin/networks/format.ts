/** An instant as the page shows it: minutes, UTC. */
export const utcMinute = (d: Date | string) => `${new Date(d).toISOString().slice(0, 16).replace("T", " ")} UTC`;

/** A pool's figure (held, free…) with thin grouping; an IPv6 pool's capacity can be a 20-digit number. */
export const figure = (n: number | string) => BigInt(n).toLocaleString("en-US").replaceAll(",", " ");
