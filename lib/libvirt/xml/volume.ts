import { create } from "xmlbuilder2";
import { z } from "zod";
import { RemotePathSchema, VolumeNameSchema } from "../../ssh/quote";

const VolumeSpecSchema = z.object({
  name: VolumeNameSchema,
  capacityBytes: z
    .number()
    .int()
    .positive()
    .max(64 * 2 ** 40),
  format: z.enum(["qcow2", "raw"]),
  /** copy-on-write: the new qcow2 only records changes over this image */
  backing: z.object({ path: RemotePathSchema, format: z.enum(["qcow2", "raw"]) }).optional(),
  mode: z
    .string()
    .regex(/^0[0-7]{3}$/)
    .default("0600"),
});

export type VolumeSpec = z.input<typeof VolumeSpecSchema>;

/** Libvirt storage volume XML, built with xmlbuilder2. */
export function buildVolumeXml(input: VolumeSpec): string {
  const spec = VolumeSpecSchema.parse(input);
  if (spec.backing && spec.format !== "qcow2") throw new Error("only a qcow2 volume can have a backing image");
  const vol = create({ version: "1.0" }).ele("volume");
  vol.ele("name").txt(spec.name);
  vol.ele("capacity", { unit: "bytes" }).txt(String(spec.capacityBytes));
  vol.ele("allocation", { unit: "bytes" }).txt("0");
  const target = vol.ele("target");
  target.ele("format", { type: spec.format });
  // qcow2 v3 (compat 1.1): libvirt's default is v2 (0.10), which cannot hold the persistent dirty
  // bitmaps that incremental backups are made from (docs/backups.md).
  if (spec.format === "qcow2") target.ele("compat").txt("1.1");
  target.ele("permissions").ele("mode").txt(spec.mode);
  if (spec.backing) {
    const b = vol.ele("backingStore");
    b.ele("path").txt(spec.backing.path);
    b.ele("format", { type: spec.backing.format });
  }
  return vol.end({ prettyPrint: true });
}
