import type { privateNetworks as en } from "../en/private-networks";
import type { Translation } from "../translation";

export const privateNetworks: Translation<typeof en> = {
  "pnet.title": "Private nettverk",
  "pnet.intro":
    "Et privat nettverk kobler teamets VM-er i én region sammen på et ekstra nettverkskort, på tvers av verter, med adresser fra adresseområdet. Andre teams nettverk holdes adskilt selv med samme adresseområde. Det har ingen gateway: VM-ene når hverandre på det, ingenting annet.",
  "pnet.list": "Private nettverk for {team}",
  "pnet.none": "Ingen private nettverk ennå.",
  "pnet.region": "Region",
  "pnet.range": "IPv4-område",
  "pnet.ipv6": "IPv6 (ULA)",
  "pnet.vni": "VNI",
  "pnet.members": "VM-er",
  "pnet.noMembers": "ingen ennå",
  "pnet.create": "Opprett privat nettverk",
  "pnet.rangeHint":
    "La feltet stå tomt, så tar Skjold første ledige 10.x.y.0/24; et område er /8 til /29 av privat adresserom og kan ikke overlappe teamets andre nettverk i regionen.",
  "pnet.ipv6None": "ingen IPv6",
  "pnet.ipv6Auto": "en tilfeldig ULA /64",
  "pnet.delete": "Slett",
  "pnet.confirmDelete": "Slette det private nettverket {name}?",
  "pnet.created": "Det private nettverket {name} er opprettet: {cidr}, VNI {vni}.",
  "pnet.deleted": "Det private nettverket er slettet.",
  "pnet.membersOnly": "Eiere og medlemmer administrerer private nettverk.",
  "order.privateNetworks": "Private nettverk (et ekstra nettverkskort for hvert)",
  "pnet.detach": "Koble fra",
  "pnet.attach": "Koble til nettverk",
  "pnet.confirmDetach": "Koble denne VM-en fra {name}? Adressen der blir ledig.",
  "pnet.vmNone": "Ikke på noe privat nettverk.",
  "pnet.manage": "Administrer private nettverk",
  "pnet.attaching": "Kobler til som {ipv4}; nettverkskortet kobles inn i løpet av sekunder.",
  "pnet.detaching": "Kobler fra; nettverkskortet kobles ut i løpet av sekunder.",
  "team.privateNetworks": "Private nettverk",
};
