import type { order as en } from "../en/order";
import type { Translation } from "../translation";

export const order: Translation<typeof en> = {
  "order.title": "Bestill en virtuell maskin",
  "order.region": "Region",
  "order.latency": "Forsinkelse til NIX",
  "order.noLatency": "ingen data",
  "order.outsidePolicy": "Utenfor teamets retningslinje for datalagring ({policy})",
  "order.noCapacity": "Ingen vert med ledig kapasitet nå",
  "order.noHealthyHost": "Ingen frisk vert akkurat nå",
  "order.refused.noHealthyHost":
    "{region} har ingen frisk vert akkurat nå ({hosts}). Ingenting ble bestilt; prøv en annen region, eller prøv igjen når en operatør har fått en vert tilbake.",
  "order.refused.noRoom": "{region} har ikke plass til en {plan}-VM med {image} akkurat nå ({hosts}).",
  "order.refused.noHosts": "{region} har ingen verter for VM-er ennå. Ingenting ble bestilt; prøv en annen region.",
  "order.refused.since": " siden {time}",
  "order.refused.offline": "{host} er frakoblet{since}: Skjold når den ikke over SSH",
  "order.refused.error": "{host} har feil{since}: feil i libvirt eller kartleggingen",
  "order.refused.keyMismatch": "{host} er stoppet{since}: SSH-vertsnøkkelen er endret, og en administrator må sjekke den",
  "order.refused.pendingKey": "{host} venter på at en administrator bekrefter SSH-vertsnøkkelen",
  "order.refused.draining": "{host} tømmes",
  "order.refused.networkNotReady": "{host}: nettverket er ikke klart",
  "order.refused.notDiscovered": "{host}: kapasiteten er ikke kartlagt ennå",
  "order.plan": "Plan",
  "order.image": "Avbildning",
  "order.sshKey": "SSH-nøkkel",
  "order.noKeys": "Du har ingen SSH-nøkler ennå: legg til en først.",
  "order.addKey": "Legg til en SSH-nøkkel",
  "order.hostname": "Vertsnavn",
  "order.hostnameHint": "1–63 små bokstaver, sifre og bindestreker; blir gjestens vertsnavn.",
  "order.submit": "Bestill VM",
  "order.quota":
    "Denne bestillingen bruker {planVcpus} vCPU, {planMemory} GiB RAM og {planDisk} GB disk. Teamet bruker da {vcpus} av {maxVcpus} vCPU, {memory} av {maxMemory} GiB RAM, {disk} av {maxDisk} GB disk og {vms} av {maxVms} VM-er.",
  "order.overQuota": "Over teamets kvote: {what}. Slett en VM eller be en plattformadministrator om mer.",
  "order.cannotOrder": "Rollen din i dette teamet kan se, men ikke bestille. Be en eier om medlemsrollen.",
  "order.perMonth": "NOK / måned",
};
