import { requireTeam } from "@/lib/access/team-access";
import { apiRoute } from "../../../../../_server/api";

export const GET = apiRoute<{ slug: string }>(async ({ prisma, principal }, { slug }) => {
  const { team } = await requireTeam({ prisma, principal, slug, need: "read" });
  const vms = await prisma.virtualMachine.findMany({
    where: { teamId: team.id, state: { not: "DELETED" } },
    select: {
      id: true, name: true, state: true, vcpus: true, memoryMb: true, diskGb: true, sshHost: true, sshPort: true,
      ipAddress: true, createdAt: true, readyAt: true, region: { select: { code: true, country: true } }, plan: { select: { code: true } },
    },
    orderBy: { createdAt: "desc" },
    take: 1000,
  });
  return { vms };
});
