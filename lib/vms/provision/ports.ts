// Which forwarded SSH port a new VM gets on its host: the lowest one in the host's range that no VM
// holds and nothing on the host listens on (other software, or a lab shared with other portals).

export function candidatePorts(opts: { start: number; end: number; taken: Iterable<number>; limit: number }): number[] {
  const taken = new Set(opts.taken);
  const out: number[] = [];
  for (let p = opts.start; p <= opts.end && out.length < opts.limit; p++) if (!taken.has(p)) out.push(p);
  return out;
}

/** Ports listed by `ss -Htln` (LISTEN sockets, numeric): the local address column ends in :PORT. */
export function parseListeningPorts(ssOutput: string): Set<number> {
  const ports = new Set<number>();
  for (const line of ssOutput.split("\n")) {
    const local = line.trim().split(/\s+/)[3];
    const m = local ? /:(\d{1,5})$/.exec(local) : null;
    if (m) ports.add(Number(m[1]));
  }
  return ports;
}
