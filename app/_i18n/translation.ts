/**
 * The Norwegian (or any further) text of one area: exactly the English area's keys, each a string.
 * A key missing here is a type error, and so is a key English does not have (an object literal's
 * excess property), so a translation can neither fall behind nor drift.
 */
export type Translation<English> = { readonly [K in keyof English]: string };
