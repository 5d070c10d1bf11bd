import type { firewall as en } from "../en/firewall";
import type { Translation } from "../translation";

export const firewall: Translation<typeof en> = {
  "firewall.title": "Brannmurregelsett",
  "firewall.intro":
    "Et regelsett slipper trafikk inn til VM-ene det brukes på; alt annet stoppes på verten, utenfor gjestens rekkevidde, i tillegg til gjestens egen brannmur. En VM uten regelsett har ingen brannmur på verten.",
  "firewall.sets": "Regelsett for {team}",
  "firewall.none": "Ingen regelsett ennå.",
  "firewall.rules": "Innkommende regler",
  "firewall.outbound": "Utgående",
  "firewall.outboundAllow": "tillat",
  "firewall.outboundDeny": "avvis (bare svar)",
  "firewall.vmCount": "VM-er",
  "firewall.create": "Opprett regelsett",
  "firewall.save": "Lagre",
  "firewall.delete": "Slett",
  "firewall.confirmDelete": "Slette regelsettet {name}?",
  "firewall.rulesHint":
    "Én regel per linje: protokoll (tcp, udp eller icmp), en port eller et portområde (ikke for icmp), deretter kildeprefikser skilt med komma; # innleder en merknad. Høyst 50 regler. En avvisning nevner rules.N: N teller linjer fra 0.",
  "firewall.created": "Regelsettet {name} er opprettet.",
  "firewall.saved": "Regelsettet {name} er lagret; {count} VM-er følger etter i løpet av sekunder.",
  "firewall.deleted": "Regelsettet er slettet.",
  "firewall.noRules": "ingen innkommende regler: ingenting nytt slipper inn",
  "firewall.membersOnly": "Eiere og medlemmer forvalter regelsett.",
  "firewall.vmTitle": "Brannmur",
  "firewall.vmNone": "Ingen regelsett i bruk: verten slipper alt gjennom til gjestens egen brannmur.",
  "firewall.vmNotEnforced":
    "Håndheves ikke på denne verten: {host} er en laboratorievert (brukermodus-nettverk, uten eget tap-grensesnitt), så bare gjestens egen brannmur gjelder.",
  "firewall.vmEffective": "I kraft på verten: innkommende bare etter disse reglene (og svar), utgående {outbound}.",
  "firewall.vmSsh": "Skjolds egen SSH-vei til gjesten forblir åpen.",
  "firewall.apply": "Bruk regelsett",
  "firewall.applied": "Brannmuroppdatering satt i kø for {name}: {sets}.",
  "firewall.appliedNone": "Fjerning av brannmuren satt i kø for {name}.",
  "firewall.manage": "Forvalt regelsett",
  "firewall.from": "fra",
  "team.firewall": "Brannmur",
};
