import type { jobs as en } from "../en/jobs";
import type { Translation } from "../translation";

export const jobs: Translation<typeof en> = {
  "jobError.gaveUp": "{error} (ga opp etter {attempts} forsøk)",
  "jobError.waitedOut": "{error} (ventet {waited} på at {subject} skulle svare igjen; grensen er {limit})",
  "jobError.rollbackIncomplete": "{cause}; tilbakerullingen ble ikke fullført: {unfinished}",
  "jobError.rollbackFailed": "tilbakerullingen feilet: {error}",
  "jobError.atStep": "{step}: {error}",
  "jobError.unexpected": "Uventet feil; oppgi denne id-en til driftsansvarlig: {id}",
  "jobError.cancelled": "Avbrutt",
  "jobError.cancelledWhileRunning": "avbrutt mens det kjørte",
  "jobError.workerStopped": "jobbens arbeider stoppet",
  "jobError.workersStopped": "arbeiderne stoppet før noe steg meldte en feil",
  "jobError.hours": "{n} t",
};
