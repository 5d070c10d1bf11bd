import { z } from "zod";
import { defineJob } from "../../jobs/define";
import { verifyVm } from "./verify-vm";

// Re-reads a running VM's hardening evidence on demand (the VM page's "Re-run checks", or the API):
// one SSH exec, a new report stored with the controls that drifted from pass to fail since the last
// one, and a VM event saying which.

const VerifyVmPayload = z.strictObject({ vmId: z.uuid() });

export const verifyVmJob = defineJob({
  name: "vm.verify",
  payload: VerifyVmPayload,
  retry: { maxAttempts: 3, baseDelayMs: 2_000, maxDelayMs: 15_000 },
  steps: [
    {
      key: "verify",
      async run({ prisma, payload, log }) {
        const r = await verifyVm({ prisma, vmId: payload.vmId });
        log(r.drift.length ? `drift: ${r.drift.map((d) => d.id).join(", ")} now fail` : `${r.passed} pass, ${r.failed} fail`);
        return { reportId: r.id, passed: r.passed, failed: r.failed, notApplicable: r.notApplicable, drift: r.drift.map((d) => d.id) };
      },
    },
  ],
});
