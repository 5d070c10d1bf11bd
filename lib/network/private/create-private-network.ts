import { requireTeam } from "../../access/team-access";
import type { Principal, RequestMeta } from "../../access/principal";
import { actorOf, recordAudit } from "../../audit/record-audit";
import { AppError, fromZod } from "../../core/errors";
import type { PrismaClient } from "../../generated/prisma/client";
import { formatPrefix, parsePrefix } from "../ip";
import { overlapping, pickVni, randomUla, suggestRange } from "./private-range";
import { CreatePrivateNetworkInput } from "./schemas";
import { PRIVATE_NETWORK_INCLUDE, privateNetworkView, type PrivateNetworkView } from "./private-network-view";

const isUniqueViolation = (err: unknown) => typeof err === "object" && err !== null && (err as { code?: string }).code === "P2002";

/**
 * Members: a new private network for the team in a region. Under the region's row lock (the same lock
 * orders take), so two creations cannot both take a VNI or both pass the overlap check: the VNI is the
 * region's lowest free one, the range the one asked for (refused when it overlaps the team's other
 * networks in the region) or the first free 10.x.y.0/24. Other teams' ranges do not matter.
 */
export async function createPrivateNetwork(opts: {
  prisma: PrismaClient;
  principal: Principal;
  teamSlug: string;
  input: unknown;
  meta?: RequestMeta;
}): Promise<PrivateNetworkView> {
  const { prisma, principal } = opts;
  const { team } = await requireTeam({ prisma, principal, slug: opts.teamSlug, need: "operate" });
  const parsed = CreatePrivateNetworkInput.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Private network");
  const input = parsed.data;
  const region = await prisma.region.findUnique({ where: { code: input.regionCode } });
  if (!region)
    throw new AppError("VALIDATION", `Private network: regionCode: ${input.regionCode} is not a region`, {
      key: "error.privateNetwork.unknownRegion",
      params: { region: input.regionCode },
      details: [{ path: "regionCode", message: "is not a region" }],
    });
  try {
    return await prisma.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT id FROM "Region" WHERE id = ${region.id}::uuid FOR UPDATE`;
        const mine = await tx.privateNetwork.findMany({
          where: { teamId: team.id, regionId: region.id },
          select: { name: true, cidr: true },
        });
        if (mine.some((n) => n.name === input.name)) throw nameTaken(input.name, region.code);
        let cidr = input.cidr ? canonical(input.cidr) : null;
        if (cidr) {
          const clash = overlapping(
            parsePrefixOrThrow(cidr),
            mine.map((n) => n.cidr),
          );
          if (clash) {
            const other = mine.find((n) => n.cidr === clash)!.name;
            throw new AppError(
              "CONFLICT",
              `Private network: cidr: ${cidr} overlaps ${other} (${clash}), another of the team's networks in ${region.code}`,
              {
                key: "error.privateNetwork.overlap",
                params: { cidr, other, otherCidr: clash, region: region.code },
                details: [{ path: "cidr", message: `overlaps ${other} (${clash})` }],
              },
            );
          }
        } else {
          cidr = suggestRange(mine.map((n) => n.cidr));
          if (!cidr)
            throw new AppError("CONFLICT", "Private network: cidr: no free 10.x.y.0/24 is left; name a range", {
              key: "error.privateNetwork.noSuggestion",
              details: [{ path: "cidr", message: "no free 10.x.y.0/24 is left" }],
            });
        }
        const taken = await tx.privateNetwork.findMany({ where: { regionId: region.id }, select: { vni: true } });
        const vni = pickVni(new Set(taken.map((t) => t.vni)));
        if (vni === null)
          throw new AppError("CONFLICT", `Region ${region.code} has no free VNI left`, {
            key: "error.privateNetwork.noVni",
            params: { region: region.code },
          });
        const ipv6Prefix = input.ipv6Prefix === "auto" ? randomUla() : input.ipv6Prefix ? canonical(input.ipv6Prefix) : null;
        const row = await tx.privateNetwork.create({
          data: { teamId: team.id, regionId: region.id, name: input.name, cidr, ipv6Prefix, vni },
          include: PRIVATE_NETWORK_INCLUDE,
        });
        await recordAudit({
          prisma: tx,
          ...actorOf(principal),
          action: "private-network.create",
          teamId: team.id,
          targetType: "private-network",
          targetId: row.id,
          details: { name: row.name, region: region.code, cidr, ipv6Prefix, vni },
          meta: opts.meta,
        });
        return privateNetworkView(row);
      },
      { maxWait: 30_000, timeout: 30_000 },
    );
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(input.name, region.code);
    throw err;
  }
}

function parsePrefixOrThrow(text: string) {
  const p = parsePrefix(text.trim());
  if (!p.ok) throw new Error(`${text} passed the schema but is not a prefix`);
  return p.prefix;
}

const canonical = (text: string) => formatPrefix(parsePrefixOrThrow(text));

const nameTaken = (name: string, region: string) =>
  new AppError("CONFLICT", `The team already has a private network named ${name} in ${region}`, {
    key: "error.privateNetwork.nameTaken",
    params: { name, region },
    details: [{ path: "name", message: "taken" }],
  });
