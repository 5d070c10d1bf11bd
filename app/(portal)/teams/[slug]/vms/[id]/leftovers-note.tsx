import type { T } from "@/app/_i18n/server";
import { leftoverItemsText } from "@/app/_i18n/vm-outage-text";
import { formatSince } from "@/lib/placement/place-vm";
import type { VmLeftovers } from "@/lib/vms/provision/leftovers";

/** A failed VM whose rollback could not finish: what may remain on its host, and that Skjold removes it (or did). */
export function LeftoversNote({ vm, t }: { vm: { leftovers: VmLeftovers | null; leftoversRemovedAt: Date | null }; t: T }) {
  const left = vm.leftovers;
  if (!left) return null;
  const items = leftoverItemsText(left.items, t);
  return vm.leftoversRemovedAt ? (
    <p className="alert ok" data-testid="vm-leftovers">
      {t("outage.leftoversRemoved", { host: left.host, items, time: formatSince(vm.leftoversRemovedAt) })}
    </p>
  ) : (
    <p className="alert warn" role="alert" data-testid="vm-leftovers">
      {t("outage.leftoversPending", { host: left.host, items })}
    </p>
  );
}
