import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute({ team: "read" }, async ({ team: { team, role } }, _: { slug: string }) => ({
  id: team.id,
  slug: team.slug,
  name: team.name,
  role,
  residencyPolicy: team.residencyPolicy,
  quota: { vms: team.maxVms, vcpus: team.maxVcpus, memoryMb: team.maxMemoryMb, diskGb: team.maxDiskGb },
}));
