-- When a host stopped being usable for new work (the first failed contact of an outage, or the
-- changed host key), so refusals and the admin pages can say "offline since …". Null while ONLINE.
-- AlterTable
ALTER TABLE "Host" ADD COLUMN "unhealthySince" TIMESTAMP(3);
