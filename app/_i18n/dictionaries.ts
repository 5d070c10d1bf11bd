// UI text in English and Norwegian bokmål, one file per locale and area (en/vms.ts, nb/vms.ts…).
// Keys are flat ("vm.start") and shared by both locales: a key is added to the English area first,
// and each nb area file is typed `Translation<typeof en-area>`, so a key it lacks (or one English
// does not have) is a type error. `nb` below is typed against every English key as well, so an
// area left out of it is one too. tests/unit/i18n-dictionary.test.ts checks what types cannot: no key
// in two areas, the same {placeholders} in both languages.
import * as enAreas from "./en";
import * as nbAreas from "./nb";

export const en = {
  ...enAreas.common,
  ...enAreas.states,
  ...enAreas.account,
  ...enAreas.teams,
  ...enAreas.vms,
  ...enAreas.jobs,
  ...enAreas.placement,
  ...enAreas.order,
  ...enAreas.clusters,
  ...enAreas.hosts,
  ...enAreas.admin,
  ...enAreas.networks,
  ...enAreas.firewall,
  ...enAreas.privateNetworks,
  ...enAreas.latency,
  ...enAreas.residency,
  ...enAreas.errors,
  ...enAreas.vmEvents,
  ...enAreas.controls,
  ...enAreas.validation,
} as const;

export type MessageKey = keyof typeof en;

export const nb: Readonly<Record<MessageKey, string>> = {
  ...nbAreas.common,
  ...nbAreas.states,
  ...nbAreas.account,
  ...nbAreas.teams,
  ...nbAreas.vms,
  ...nbAreas.jobs,
  ...nbAreas.placement,
  ...nbAreas.order,
  ...nbAreas.clusters,
  ...nbAreas.hosts,
  ...nbAreas.admin,
  ...nbAreas.networks,
  ...nbAreas.firewall,
  ...nbAreas.privateNetworks,
  ...nbAreas.latency,
  ...nbAreas.residency,
  ...nbAreas.errors,
  ...nbAreas.vmEvents,
  ...nbAreas.controls,
  ...nbAreas.validation,
};

/** Each locale's areas, for the test that no key is defined in two of them. */
export const AREAS = { en: enAreas, nb: nbAreas } as const;

export const LOCALES = { en, nb } as const;
export type Locale = keyof typeof LOCALES;
