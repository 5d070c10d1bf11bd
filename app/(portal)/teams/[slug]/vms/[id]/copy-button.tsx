"use client";

import { useState } from "react";

/** A command shown in full, with a button that copies it exactly. */
export function CopyLine(props: { text: string; copy: string; copied: string; testId?: string }) {
  const [done, setDone] = useState(false);
  return (
    <div className="copy-line">
      <code data-testid={props.testId}>{props.text}</code>
      <button
        type="button"
        className="secondary"
        onClick={async () => {
          await navigator.clipboard?.writeText(props.text);
          setDone(true);
          setTimeout(() => setDone(false), 1500);
        }}
      >
        {done ? props.copied : props.copy}
      </button>
    </div>
  );
}
