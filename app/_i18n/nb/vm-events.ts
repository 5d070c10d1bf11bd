import type { vmEvents as en } from "../en/vm-events";
import type { Translation } from "../translation";

export const vmEvents: Translation<typeof en> = {
  "event.provisioning": "Klargjøringen har startet",
  "event.failed": "Klargjøringen feilet og ble rullet tilbake: {cause}",
  "event.placed": "Plassert på {host}: {note}",
  "event.placedMoved": "Plassert på {host} (flyttet fra den reserverte verten): {note}",
  "event.port": "SSH videresendes fra 127.0.0.1:{port} på {host}",
  "event.disk": "Disk {disk} ({size} GB, kopi ved skriving av {base}) på {host}/{pool}",
  "event.seed": "cloud-init-frø bygget: bruker {user}, nøkkel {keyName}, gjestens vertsnøkkel {fingerprint}",
  "event.networkRouted": "Tap-grensesnitt {tap} på {host}, {ipv4}/32 rutet til den; verten lar den bare sende fra {mac}, {addresses}",
  "event.networkRoutedV6":
    "Tap-grensesnitt {tap} på {host}, {ipv4}/32 og {ipv6Prefix} rutet til den; verten lar den bare sende fra {mac}, {addresses}",
  "event.networkBridged": "Tap-grensesnitt {tap} på {host}, på broen {bridge}; verten lar den bare sende fra {mac}, {addresses}",
  "event.startedKvm": "Domenet {domain} er definert og startet på {host} med KVM",
  "event.startedTcg":
    "Domenet {domain} er definert og startet på {host} med TCG (programvareemulering: denne verten har ingen fungerende KVM)",
  "event.sshReady": "SSH svarer med den festede vertsnøkkelen {fingerprint} (etter {seconds} s i dette forsøket); cloud-init: {status}",
  "event.sshTimeout": "SSH svarte ikke innen {seconds} s; konsollens siste linjer er tatt vare på",
  "event.bootFailed": "Gjesten kan ikke starte: konsollen sier «{line}»",
  "event.hardenedChanged": "Herdingen er fullført: {count} endring(er) ({changes})",
  "event.hardenedUnchanged": "Herding: gjesten var allerede i samsvar (satt opp av cloud-init)",
  "event.verified": "Herdingsrapport: {passed} bestått, {failed} feilet",
  "event.verifiedFailing": "Herdingsrapport: {passed} bestått, {failed} feilet ({failing})",
  "event.readyPublic": "Klar: ssh {user}@{ipv4}",
  "event.readyDual": "Klar: ssh {user}@{ipv4} eller ssh {user}@{ipv6}",
  "event.readyForwarded": "Klar: ssh -p {port} {user}@{address} på {host}",
  "event.personalised":
    "Levert fra den varme reserven: vertsnavn {name}, ny vertsnøkkel {fingerprint} (nøkkelen fra den varme oppstarten fjernet), machine-id, tilfeldighetsfrø og cloud-init-instans-ID byttet",
  "event.personalisedResumed":
    "Levert fra den varme reserven: vertsnavn {name}, ny vertsnøkkel {fingerprint} (nøkkelen fra den varme oppstarten fjernet), machine-id, tilfeldighetsfrø og cloud-init-instans-ID byttet (fortsatt etter et avbrudd)",
  "event.warmDiscardedDead": "Varm gjest forkastet: domenet kjører ikke lenger på {host}",
  "event.warmDiscardedFailed": "Varm gjest forkastet: oppstarten feilet",
  "event.power.started": "Startet; libvirt melder {state}",
  "event.power.shutDown": "Slått av; libvirt melder {state}",
  "event.power.shutDownForced": "Slått av (tvunget av etter at gjesten ikke stoppet i tide); libvirt melder {state}",
  "event.power.alreadyOff": "Var allerede av; libvirt melder {state}",
  "event.power.rebootRequested": "Omstart bedt om; libvirt melder {state}",
  "event.power.forcedOff": "Tvunget av; libvirt melder {state}",
  "event.resized": "Endret til {plan}: {vcpus} vCPU-er, {memoryMb} MiB, {diskGb} GB disk; {how}",
  "event.resizeFailed": "Endringen til {plan} feilet og ble rullet tilbake: {cause}",
  "event.deleting": "Slettingen har startet",
  "event.removed": "Domenet {domain}, disken og frøet er fjernet fra {host}",
  "event.deleted": "Slettet; historikken blir stående",
  "event.deletedResting": "Slettet; historikken blir stående; adressene hviler til {until} før noen andre får dem",
  "event.deletedFree": "Slettet; historikken blir stående; adressene er ledige igjen",
};
