import { VmFirewallInput } from "@/lib/firewall/schemas";
import { getVmFirewall } from "@/lib/vms/firewall/get-vm-firewall";
import { setVmFirewall } from "@/lib/vms/firewall/set-vm-firewall";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute({ team: "read" }, async ({ prisma, principal }, { slug, id }: { slug: string; id: string }) =>
  getVmFirewall({ prisma, principal, teamSlug: slug, vmId: id }),
);

/** Members: the VM's rule sets, replacing what it had; 202 with the vm.firewall jobId. */
export const PUT = apiRoute(
  { team: "operate", body: VmFirewallInput },
  async ({ prisma, principal, meta, body }, { slug, id }: { slug: string; id: string }) =>
    Response.json(await setVmFirewall({ prisma, principal, teamSlug: slug, vmId: id, input: body, meta }), { status: 202 }),
);
