import { type BootFailure, createConsoleTranscript } from "../../guest/boot-console";
import { tapConsole } from "../../libvirt/console";
import type { HostContext } from "../../libvirt/virsh";

// The guest's serial console, read while provisioning waits for its SSH: the console's last lines,
// and the first line that says the guest cannot boot (lib/guest/boot-console.ts). Reading it is a
// help, never a condition: a console that cannot be read leaves the wait as it was without it.

/** How many of the console's last lines a VM keeps when its boot failed or SSH never answered. */
export const CONSOLE_TAIL_LINES = 40;

export interface BootConsoleWatch {
  /** whether the console was attached (so its lines say something) */
  attached: boolean;
  /** resolves with the first boot failure the console shows; never, while it shows none */
  failure: Promise<BootFailure>;
  /** the console's last lines so far */
  tail(): string[];
  close(): void;
}

export async function watchBootConsole(ctx: HostContext & { name: string; log?: (line: string) => void }): Promise<BootConsoleWatch> {
  const transcript = createConsoleTranscript();
  let report!: (f: BootFailure) => void;
  const failure = new Promise<BootFailure>((r) => (report = r));
  const tap = await tapConsole({
    ...ctx,
    onText: (text) => {
      const found = transcript.push(text);
      if (found) report(found);
    },
  });
  const attached = await tap.attached;
  if (!attached) ctx.log?.(`console of ${ctx.name} could not be read; waiting for SSH without it`);
  return { attached, failure, tail: () => transcript.tail(CONSOLE_TAIL_LINES), close: tap.close };
}
