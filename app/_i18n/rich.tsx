import { Fragment, type ReactNode } from "react";

/**
 * A translated sentence with markup inside it: `rich(t("hosts.pinnedChanged"), { fingerprint: <code>…</code> })`
 * puts each element where its {placeholder} stands, so the word order stays the translation's.
 */
export function rich(text: string, parts: Record<string, ReactNode>): ReactNode {
  // split() with a capture group alternates text (even places) and placeholder names (odd places)
  return text.split(/\{(\w+)\}/).map((piece, place) => {
    if (place % 2 === 0) return piece;
    // biome-ignore lint/suspicious/noArrayIndexKey: a sentence's pieces never move; its place is its identity
    return piece in parts ? <Fragment key={place}>{parts[piece]}</Fragment> : `{${piece}}`;
  });
}
