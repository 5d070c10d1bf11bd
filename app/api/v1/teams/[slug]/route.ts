import { requireTeam } from "@/lib/access/team-access";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute<{ slug: string }>(async ({ prisma, principal }, { slug }) => {
  const { team, role } = await requireTeam({ prisma, principal, slug, need: "read" });
  return {
    id: team.id,
    slug: team.slug,
    name: team.name,
    role,
    residencyPolicy: team.residencyPolicy,
    quota: { vms: team.maxVms, vcpus: team.maxVcpus, memoryMb: team.maxMemoryMb, diskGb: team.maxDiskGb },
  };
});
