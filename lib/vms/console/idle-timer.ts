// A session's idle limit: `onIdle` runs once when `limitMs` passed without a `touch`. Only a
// person's keystrokes touch it; a guest printing on its console keeps nobody's session alive.

export interface IdleTimer {
  touch(): void;
  stop(): void;
  /** when the last touch was (ms since the epoch) */
  lastTouch(): number;
}

export function createIdleTimer(opts: { limitMs: number; onIdle: () => void; now?: () => number }): IdleTimer {
  const now = opts.now ?? Date.now;
  let last = now();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(check, ms);
    timer.unref?.();
  };
  // One timer re-armed for what is left, instead of a new timer per keystroke.
  const check = () => {
    if (stopped) return;
    const left = last + opts.limitMs - now();
    if (left > 0) return arm(left);
    stopped = true;
    opts.onIdle();
  };
  arm(opts.limitMs);
  return {
    touch: () => void (last = now()),
    stop: () => ((stopped = true), clearTimeout(timer)),
    lastTouch: () => last,
  };
}
