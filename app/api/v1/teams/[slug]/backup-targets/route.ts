import { listTeamBackupTargets } from "@/lib/backup-targets/list-team-backup-targets";
import { apiRoute } from "@/app/_server/api";

/** The backup targets, each with its region, country, jurisdiction and whether the team's residency policy allows it. */
export const GET = apiRoute<{ slug: string }>(async ({ prisma, principal }, { slug }) => ({
  items: await listTeamBackupTargets({ prisma, principal, teamSlug: slug }),
}));
