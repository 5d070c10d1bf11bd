import type { placement as en } from "../en/placement";
import type { Translation } from "../translation";

export const placement: Translation<typeof en> = {
  "placement.noHost": "Ingen vert i {region} kan ta denne VM-en ({why}).",
  "placement.noHealthyHost": "Ingen frisk vert i {region} kan ta denne VM-en ({why}).",
  "placement.noHosts": "ingen verter",
  "placement.hostReason": "{host}: {reason}",
  "placement.otherRegion": "i regionen {region}, ikke {wanted}",
  "placement.offline": "frakoblet: Skjold når den ikke over SSH",
  "placement.offlineSince": "frakoblet siden {since}: Skjold når den ikke over SSH",
  "placement.failing": "feiler: libvirt- eller oppdagelsesfeil",
  "placement.failingSince": "feiler siden {since}: libvirt- eller oppdagelsesfeil",
  "placement.keyMismatch": "stoppet: SSH-vertsnøkkelen er endret, og en administrator må kontrollere den",
  "placement.keyMismatchSince": "stoppet siden {since}: SSH-vertsnøkkelen er endret, og en administrator må kontrollere den",
  "placement.pendingKey": "venter på at en administrator bekrefter SSH-vertsnøkkelen",
  "placement.draining": "tømmes",
  "placement.notDiscovered": "kapasiteten er ikke kartlagt ennå",
  "placement.noImage": "har ikke imaget",
  "placement.vcpusFull": "vCPU-ene er fulle ({used} av {cap} i bruk, {needed} trengs)",
  "placement.memoryFull": "minnet er fullt ({used} av {total} MiB i bruk, {needed} trengs)",
  "placement.poolFull": "lageret {pool} har {free} GiB ledig, {needed} trengs",
  "placement.noForwardPort": "ingen ledig port for SSH-videresending",
  "placement.networkNotReady": "nettverket er ikke klart ({problem})",
  "placement.noPublicAddress": "ingen offentlig adresse: {problem}",
  "placement.fits": "passer: {load} % belastet etter plassering",
  "placement.warmUserModeOnly": "varme gjester holdes bare på verter med brukermodus-nett",
  "placement.warmKeepsPort": "da ville ingen videresendt port bli igjen til en vanlig bestilling",
};
