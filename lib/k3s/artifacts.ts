import { createHash } from "node:crypto";
import { createReadStream, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { AppError } from "../core/errors";

// The k3s air-gap procedure: the operator places the release's files in a folder Skjold is
// configured with. Checksums come from the release's own sha256 list and are checked here, before
// anything is uploaded, and again on the guest after upload.

const CHECKSUM_FILE = "sha256sum-amd64.txt";
const IMAGE_TARBALLS = ["k3s-airgap-images-amd64.tar.zst", "k3s-airgap-images-amd64.tar.gz"];

export type Artifact = { name: string; localPath: string; sha256: string };

/** `sha256sum` format: `<hex>  <name>` per line. */
export function parseChecksumList(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = /^([a-f0-9]{64})\s+\*?(\S+)$/.exec(line.trim());
    if (m) out.set(m[2]!, m[1]!);
  }
  return out;
}

function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash("sha256");
    createReadStream(file)
      .on("data", (d) => h.update(d))
      .on("end", () => resolve(h.digest("hex")))
      .on("error", reject);
  });
}

const missing = (dir: string, what: string, version: string) =>
  new AppError(
    "VALIDATION",
    `k3s air-gap artifact missing: ${what} in ${dir}. Place the files of k3s release ${version} there: k3s, ${IMAGE_TARBALLS[0]} (or .tar.gz), ${CHECKSUM_FILE}, and install.sh from the same tag.`,
  );

/** Finds and verifies the operator's artifacts for a pinned version; refuses anything incomplete or altered. */
export async function resolveAirgapArtifacts(opts: { dir: string; version: string }): Promise<Artifact[]> {
  const { dir, version } = opts;
  const at = (n: string) => path.join(dir, n);
  if (!existsSync(at(CHECKSUM_FILE))) throw missing(dir, CHECKSUM_FILE, version);
  const sums = parseChecksumList(readFileSync(at(CHECKSUM_FILE), "utf8"));
  const images = IMAGE_TARBALLS.find((n) => existsSync(at(n)));
  for (const [name, present] of [
    ["k3s", existsSync(at("k3s"))],
    ["install.sh", existsSync(at("install.sh"))],
    [IMAGE_TARBALLS[0]!, !!images],
  ] as const) {
    if (!present) throw missing(dir, name, version);
  }
  const out: Artifact[] = [];
  for (const name of ["k3s", images!]) {
    const expected = sums.get(name);
    if (!expected)
      throw new AppError("VALIDATION", `${CHECKSUM_FILE} in ${dir} has no checksum for ${name}: is it the list of release ${version}?`);
    const actual = await sha256File(at(name));
    if (actual !== expected)
      throw new AppError(
        "VALIDATION",
        `Checksum mismatch for ${at(name)}: expected ${expected}, got ${actual}. Re-download it from release ${version}.`,
      );
    out.push({ name, localPath: at(name), sha256: actual });
  }
  out.push({ name: "install.sh", localPath: at("install.sh"), sha256: await sha256File(at("install.sh")) });
  return out;
}
