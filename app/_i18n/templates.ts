import { en, type MessageKey } from "./dictionaries";

// Reading lib/'s English back into the dictionary: the template whose English a stored text is, and
// the values it was filled with, so a page words it in its reader's language.

export type Translate = (key: MessageKey, vars?: Record<string, string>) => string;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The English template as a pattern that gives back its values: "runs on {node}" → /^runs on (?<node>.+?)$/. */
export function templatePattern(template: string): RegExp {
  const parts = template.split(/\{(\w+)\}/);
  return new RegExp(`^${parts.map((p, i) => (i % 2 ? `(?<${p}>.+?)` : escapeRegExp(p))).join("")}$`, "s");
}

/** The key (of those `among` takes) whose English `text` is, with the values read back from it, in the reader's words; null when none is. */
export function byEnglish(among: (key: string) => boolean, text: string, t: Translate): string | null {
  // The template with the most words of its own first: "at least {n} characters" before "at least {n}".
  const candidates = (Object.keys(en) as MessageKey[])
    .filter(among)
    .sort((a, b) => en[b].replace(/\{\w+\}/g, "").length - en[a].replace(/\{\w+\}/g, "").length);
  for (const key of candidates) {
    const values = templatePattern(en[key]).exec(text);
    if (values) return t(key, { ...values.groups });
  }
  return null;
}
