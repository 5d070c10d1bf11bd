import { AppError } from "../../core/errors";
import type { PlacementResult } from "../../placement/place-vm";

// An order placement refused, in words that tell the two situations apart: the region's hosts are
// unhealthy or not ready (an operator's problem, named host by host, with since when), or a healthy
// host is full or lacks the image (no room). `details` carries the same for the API and the portal,
// which words it in the user's language.

export function capacityRefusal(opts: {
  region: { name: string; code: string };
  plan: { name: string };
  image: { name: string };
  placed: Extract<PlacementResult, { ok: false }>;
}): AppError {
  const { region, plan, image, placed } = opts;
  const where = `${region.name} (${region.code})`;
  const message =
    placed.cause === "no-healthy-host"
      ? `${where} has no healthy host right now (${placed.verdicts.map((v) => `${v.host}: ${v.reason}`).join("; ")}). ` +
        "Nothing was ordered; try another region, or try again once an operator has brought a host back."
      : placed.cause === "no-hosts"
        ? `${where} has no hosts to place VMs on yet. Nothing was ordered; try another region.`
        : `${where} has no room for a ${plan.name} VM with ${image.name} right now. ${placed.explanation}`;
  return new AppError("NO_CAPACITY", message, {
    details: {
      region: region.code,
      regionName: region.name,
      plan: plan.name,
      image: image.name,
      cause: placed.cause,
      hosts: placed.verdicts,
    },
  });
}
