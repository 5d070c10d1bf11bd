import { z } from "zod";
import type { StepContext } from "../../jobs/define";
import type { ProvisionClusterPayload } from "../shared/schemas";

// What the "cluster.provision" steps read from their job: whether this is the last attempt (then a
// failure ends the cluster FAILED) and what earlier steps checkpointed.

type Ctx = StepContext<ProvisionClusterPayload>;

export const lastTry = (ctx: Ctx) => ctx.job.attempt >= ctx.job.maxAttempts;

export const nodesOutput = z.object({ nodes: z.array(z.object({ id: z.uuid(), name: z.string(), role: z.enum(["server", "agent"]) })) });
const firewallOutput = z.object({ addresses: z.record(z.string(), z.string()) });

export const addressesOf = (ctx: Ctx) => firewallOutput.parse(ctx.outputs.firewall).addresses;
