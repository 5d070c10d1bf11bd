import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

// TEST-ONLY: an air-gap artifacts folder (what an operator places in SKJOLD_K3S_ARTIFACTS_DIR)
// built from the k3s stand-ins in tests/helpers/fake-k3s-guest, with a real checksum list. The
// product verifies and uploads these files exactly as it would the real release's.

const FAKE_K3S_GUEST = path.resolve(import.meta.dirname, "fake-k3s-guest");
export const sha256 = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

export function makeFakeK3sArtifacts(opts: { version: string; withImages?: boolean }): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), "skjold-k3s-artifacts-"));
  const k3s = readFileSync(path.join(FAKE_K3S_GUEST, "k3s"), "utf8").replace("__FAKE_K3S_VERSION__", opts.version);
  const images = randomBytes(512 * 1024);
  writeFileSync(path.join(dir, "k3s"), k3s, { mode: 0o755 });
  writeFileSync(path.join(dir, "install.sh"), readFileSync(path.join(FAKE_K3S_GUEST, "install.sh")));
  if (opts.withImages !== false) writeFileSync(path.join(dir, "k3s-airgap-images-amd64.tar.zst"), images);
  writeFileSync(path.join(dir, "sha256sum-amd64.txt"), `${sha256(k3s)}  k3s\n${sha256(images)}  k3s-airgap-images-amd64.tar.zst\n`);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
