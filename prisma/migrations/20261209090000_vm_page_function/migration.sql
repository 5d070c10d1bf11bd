-- A page of a team's VMs (lib/vms/queries/list-vms.ts), as a function so that its five-table join is
-- planned once per database session and not on every request: PL/pgSQL keeps each RETURN QUERY's plan,
-- where the drivers' unnamed statements are parsed and planned anew each time (planning cost about four
-- times the query's execution, docs/benchmarks/api-lists.md). The first page and the pages after a
-- cursor are two queries, so each keeps an index plan of its own.
-- Change it together with list-vms.ts's VmRow: tests/integration/vm-list-query.test.ts compares the
-- two with Prisma's findMany, page by page, on both databases.
CREATE FUNCTION skjold_vm_page(team uuid, live boolean, after_at timestamp(3), after_id uuid, lim integer)
RETURNS TABLE (
  "id" uuid, "name" text, "state" text, "vcpus" integer, "memoryMb" integer, "diskGb" integer,
  "sshHost" text, "sshPort" integer, "ipAddress" text, "ipv6Address" text, "ipv6Prefix" text,
  "adminUser" text, "lastError" text, "createdAt" timestamp(3), "readyAt" timestamp(3), "deletedAt" timestamp(3),
  "region_code" text, "region_name" text, "region_city" text, "region_country" text, "region_jurisdiction" text,
  "plan_code" text, "plan_name" text, "image_slug" text, "image_name" text, "host_name" text
) LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF after_at IS NULL THEN
    RETURN QUERY
      SELECT v."id", v."name", v."state"::text, v."vcpus", v."memoryMb", v."diskGb", v."sshHost", v."sshPort",
             v."ipAddress", v."ipv6Address", v."ipv6Prefix", v."adminUser", v."lastError", v."createdAt", v."readyAt", v."deletedAt",
             r."code", r."name", r."city", r."country", r."jurisdiction"::text,
             p."code", p."name", i."slug", i."name", h."name"
      FROM "VirtualMachine" v
      JOIN "Region" r ON r."id" = v."regionId"
      JOIN "Plan" p ON p."id" = v."planId"
      JOIN "Image" i ON i."id" = v."imageId"
      LEFT JOIN "Host" h ON h."id" = v."hostId"
      WHERE v."teamId" = team AND (NOT live OR v."state" <> 'DELETED')
      ORDER BY v."createdAt" DESC, v."id" DESC
      LIMIT lim;
  ELSE
    RETURN QUERY
      SELECT v."id", v."name", v."state"::text, v."vcpus", v."memoryMb", v."diskGb", v."sshHost", v."sshPort",
             v."ipAddress", v."ipv6Address", v."ipv6Prefix", v."adminUser", v."lastError", v."createdAt", v."readyAt", v."deletedAt",
             r."code", r."name", r."city", r."country", r."jurisdiction"::text,
             p."code", p."name", i."slug", i."name", h."name"
      FROM "VirtualMachine" v
      JOIN "Region" r ON r."id" = v."regionId"
      JOIN "Plan" p ON p."id" = v."planId"
      JOIN "Image" i ON i."id" = v."imageId"
      LEFT JOIN "Host" h ON h."id" = v."hostId"
      WHERE v."teamId" = team AND (NOT live OR v."state" <> 'DELETED')
        AND (v."createdAt", v."id") < (after_at, after_id)
      ORDER BY v."createdAt" DESC, v."id" DESC
      LIMIT lim;
  END IF;
END
$$;
