import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { en, LOCALES, type MessageKey } from "@/app/_i18n/dictionaries";
import { z } from "zod";
import {
  controlTitle,
  errorText,
  evidenceText,
  fieldText,
  jobErrorText,
  keyedEventText,
  libText,
  storedErrorText,
} from "@/app/_i18n/lib-text";
const libTextOf = (n: NestedError, t: (key: MessageKey, vars?: Record<string, string>) => string) =>
  libText({ key: n.key!, params: n.params }, t);
import { decideAfterFailure } from "@/lib/jobs/decide-after-failure";
import { vmEventText } from "@/app/_i18n/vm-outage-text";
import { AppError, fromZod } from "@/lib/core/errors";
import { errorMessage, listText, nestedText, type NestedError } from "@/lib/core/error-text";
import { quotaRefusal } from "@/lib/vms/order/quota";
import { evaluateGuestControls } from "@/lib/guest/verify/guest-controls";
import { parseGuestEvidence } from "@/lib/guest/verify/guest-evidence";
import { AGENT_ENV_FILE, evaluateAgentControls, parseAgentEvidence } from "@/lib/k3s/verify/agent-controls";

// English that lib/ writes and a page shows must have Norwegian wording. This test reads lib/ the
// way the compiler does and checks three kinds of text:
// - every AppError (`new AppError(…)`, `notFound(…)`) carries a `key` in both dictionaries, unless its
//   file is on UNKEYED below with its reason; and a keyed message reads as the key's English does
//   (the same words around the values), so an English page shows what the API says;
// - every VM event (`addVmEvent`) carries a key the same way (the outage events are worded from
//   their data instead, app/_i18n/vm-outage-text.ts);
// - every hardening control's title is in both dictionaries (`control.<id>`).

const root = path.resolve(import.meta.dirname, "../..");

/**
 * Files whose AppErrors have no key yet, how many, and why. The counts are exact: a key added makes
 * the test ask for the count to go down, and a new unkeyed AppError in a file not listed fails.
 * Only text no portal page shows belongs here (API-only, operator diagnostics, a job's internals),
 * or text that is listed as not yet done in the report on issue 12.
 */
const UNKEYED: Record<string, { count: number; why: string }> = {
  // Not yet keyed (issue 12, what remains): shown by forms, but worded from English parts.
  // Validation refusals: worded field by field by the English of each message (app/_i18n/en/validation.ts).
  "lib/core/errors.ts": { count: 1, why: "fromZod, worded by lib-text's validationText; field messages not in validation.ts stay English" },
  "lib/vms/order/catalog.ts": { count: 1, why: "an order field refusal, worded by validationText" },
  "lib/vms/order/capacity-refusal.ts": { count: 1, why: "worded from its details by app/_i18n/order-refusal.ts" },
  "lib/vms/provision/place.ts": {
    count: 1,
    why: "placement's explanation, read back host by host by placementText (app/_i18n/order-refusal.ts)",
  },
  "lib/clusters/provision/wait-node.ts": { count: 3, why: "a cluster job's internals, stored as its error" },
  "lib/clusters/shared/fail-cluster-on.ts": { count: 1, why: "re-throws another error's message" },
  "lib/clusters/shared/load-cluster.ts": { count: 2, why: "a cluster job's internals (k3s artifacts, nodes)" },
  "lib/clusters/shared/node-addresses.ts": { count: 1, why: "a cluster job's internals" },
  "lib/clusters/provision/k3s-server.ts": { count: 1, why: "a cluster job's internals" },
  "lib/hosts/set-host-network.ts": { count: 2, why: "network rule problems (admin form), worded by validationText" },
  "lib/hosts/boot-sector.ts": { count: 1, why: "operator diagnostics: host output" },
  "lib/network/pool-record.ts": { count: 1, why: "pool rule problems (admin form), worded by validationText" },
  "lib/network/release-vm-addresses.ts": { count: 1, why: "an invariant broken: INTERNAL, never a user's" },
  "lib/residency/record.ts": { count: 1, why: "residency ledger internals (a team id)" },
  "lib/residency/report-query.ts": { count: 1, why: "API-only: report query parameters" },
  "lib/residency/settings.ts": { count: 2, why: "operator configuration (settings, environment)" },
  "lib/core/pagination.ts": { count: 2, why: "API-only: list limit and cursor" },
  "lib/jobs/enqueue.ts": { count: 3, why: "a programming error: unknown job kind, bad attempts" },
  // Operator diagnostics: what a host, SSH, libvirt or a guest answered, shown to admins as is.
  "lib/ssh/errors.ts": { count: 3, why: "operator diagnostics: SSH connection" },
  "lib/ssh/guest-shell.ts": { count: 3, why: "operator diagnostics: guest upload and SSH" },
  "lib/ssh/pool.ts": { count: 4, why: "operator diagnostics: SSH commands" },
  "lib/ssh/quote.ts": { count: 3, why: "a programming error: unquotable shell argument" },
  "lib/ssh/sftp.ts": { count: 1, why: "operator diagnostics: SFTP" },
  "lib/ssh/wait.ts": { count: 1, why: "operator diagnostics: SSH wait" },
  "lib/libvirt/domains.ts": { count: 1, why: "operator diagnostics: virsh" },
  "lib/libvirt/host-script.ts": { count: 2, why: "operator diagnostics: host script" },
  "lib/libvirt/parse.ts": { count: 2, why: "operator diagnostics: host output" },
  "lib/libvirt/probe.ts": { count: 2, why: "operator diagnostics: accelerator probe" },
  "lib/libvirt/virsh.ts": { count: 3, why: "operator diagnostics: virsh" },
  "lib/libvirt/volumes.ts": { count: 2, why: "operator diagnostics: volumes" },
  "lib/guest/shell.ts": { count: 1, why: "operator diagnostics: guest command" },
  "lib/guest/verify/sections.ts": { count: 1, why: "operator diagnostics: evidence output" },
  "lib/k3s/artifacts.ts": { count: 3, why: "operator configuration: k3s air-gap files" },
  "lib/k3s/bootstrap.ts": { count: 3, why: "a cluster job's internals: join token" },
  "lib/k3s/kubeconfig.ts": { count: 1, why: "a cluster job's internals" },
  "lib/lab/lab-facts.ts": { count: 3, why: "the lab scripts' output (developers)" },
  "lib/lab/onboard-lab-host.ts": { count: 3, why: "the lab scripts' output (developers)" },
  "lib/lab/register-lab-image.ts": { count: 2, why: "the lab scripts' output (developers)" },
  "lib/latency/metrics-access.ts": { count: 3, why: "API-only: the metrics endpoint" },
  "lib/vms/provision/wait-for-guest-ssh.ts": { count: 5, why: "a provisioning job's internals (SSH wait), retried" },
  "lib/vms/shared/guest-target.ts": { count: 1, why: "a job's internals: which guest fact is missing" },
  "lib/vms/shared/vm-nic.ts": { count: 3, why: "a provisioning job's internals (MAC, addresses)" },
};

/** Events worded from their `data` by app/_i18n/vm-outage-text.ts, per file. */
const OUTAGE_EVENTS: Record<string, number> = {
  "lib/vms/shared/host-outage-events.ts": 2,
  "lib/vms/provision/reserve.ts": 1,
  "lib/vms/provision/finish-rollbacks.ts": 1,
};

function libFiles(dir = path.join(root, "lib")): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "generated") out.push(...libFiles(full));
    } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) out.push(full);
  }
  return out;
}

type Site = { file: string; line: number; message?: ts.Expression; text?: ts.ObjectLiteralExpression; keyed: boolean };

const property = (o: ts.ObjectLiteralExpression | undefined, name: string) =>
  o?.properties.find((p): p is ts.PropertyAssignment | ts.ShorthandPropertyAssignment => (p.name && p.name.getText() === name) || false);

/** The AppErrors and the addVmEvent calls of one file. */
function sitesOf(file: string) {
  const src = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const rel = path.relative(root, file);
  const errors: Site[] = [];
  const events: Site[] = [];
  const controls: { line: number; id: ts.Expression; title: ts.Expression }[] = [];
  const line = (n: ts.Node) => src.getLineAndCharacterOfPosition(n.getStart()).line + 1;
  const visit = (n: ts.Node) => {
    if (ts.isNewExpression(n) && n.expression.getText() === "AppError" && rel !== "lib/core/errors.ts") {
      const opts = n.arguments?.[2];
      const text = opts && ts.isObjectLiteralExpression(opts) ? opts : undefined;
      errors.push({ file: rel, line: line(n), message: n.arguments?.[1], text, keyed: !!property(text, "key") });
    } else if (ts.isNewExpression(n) && n.expression.getText() === "AppError") {
      // lib/core/errors.ts: notFound passes its text on; fromZod has none yet (UNKEYED).
      const opts = n.arguments?.[2];
      const keyed = !!opts && (ts.isIdentifier(opts) || (ts.isObjectLiteralExpression(opts) && !!property(opts, "key")));
      errors.push({ file: rel, line: line(n), keyed });
    } else if (ts.isCallExpression(n) && n.expression.getText() === "notFound" && rel !== "lib/core/errors.ts") {
      const opts = n.arguments[1];
      const text = opts && ts.isObjectLiteralExpression(opts) ? opts : undefined;
      errors.push({ file: rel, line: line(n), message: n.arguments[0], text, keyed: n.arguments.length === 0 || !!property(text, "key") });
    } else if (
      ts.isCallExpression(n) &&
      n.expression.getText() === "addVmEvent" &&
      n.arguments[0] &&
      ts.isObjectLiteralExpression(n.arguments[0])
    ) {
      const o = n.arguments[0];
      const message = property(o, "message");
      events.push({
        file: rel,
        line: line(n),
        message: message && ts.isPropertyAssignment(message) ? message.initializer : undefined,
        text: o,
        keyed: !!property(o, "key"),
      });
    } else if (
      ts.isCallExpression(n) &&
      n.expression.getText() === "control" &&
      n.arguments[0] &&
      ts.isObjectLiteralExpression(n.arguments[0])
    ) {
      const id = property(n.arguments[0], "id");
      const title = property(n.arguments[0], "title");
      if (id && title && ts.isPropertyAssignment(id) && ts.isPropertyAssignment(title))
        controls.push({ line: line(n), id: id.initializer, title: title.initializer });
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return { rel, errors, events, controls };
}

const scanned = libFiles().map(sitesOf);

/** A message with each value as {}: `${vm.name} is busy` and "{name} is busy" both read "{} is busy". */
function skeleton(e: ts.Expression): string | null {
  if (ts.isParenthesizedExpression(e)) return skeleton(e.expression);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
  if (ts.isTemplateExpression(e)) return e.head.text + e.templateSpans.map((s) => `{}${s.literal.text}`).join("");
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const [a, b] = [skeleton(e.left), skeleton(e.right)];
    return a === null || b === null ? null : a + b;
  }
  return null;
}
const templateSkeleton = (s: string) => s.replace(/\{\w+\}/g, "{}");
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

/** The keys a `key:` can take: a string, either branch of a condition, or the keys a template can produce. */
function keysOf(e: ts.Expression): string[] {
  if (ts.isParenthesizedExpression(e)) return keysOf(e.expression);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [e.text];
  if (ts.isConditionalExpression(e)) return [...keysOf(e.whenTrue), ...keysOf(e.whenFalse)];
  if (ts.isTemplateExpression(e)) {
    const pattern = new RegExp(
      `^${[e.head.text, ...e.templateSpans.map((s) => s.literal.text)].map((p) => p.replace(/\./g, "\\.")).join("\\w+")}$`,
    );
    const found = Object.keys(en).filter((k) => pattern.test(k));
    return found.length ? found : [`(no key matches ${e.getText()})`];
  }
  return []; // a key computed elsewhere (quotaRefusal's): typed ErrorKey, so it is in both dictionaries
}

/** Checks one keyed site: its keys are in both dictionaries and its English reads as its message. */
function problemsOf(site: Site, prefix: string): string[] {
  const where = `${site.file}:${site.line}`;
  const key = property(site.text, "key");
  if (!key || !ts.isPropertyAssignment(key)) return [];
  const keys = keysOf(key.initializer);
  const out: string[] = [];
  for (const k of keys) {
    if (!k.startsWith(prefix)) out.push(`${where}: ${k} is not an ${prefix}… key`);
    if (!(k in en) || !LOCALES.nb[k as MessageKey]?.trim()) out.push(`${where}: ${k} is not in both dictionaries`);
  }
  const params = property(site.text, "params");
  // Params written out must fill every placeholder (params handed over whole are typed by their maker).
  const literal = params && ts.isPropertyAssignment(params) && ts.isObjectLiteralExpression(params.initializer) ? params.initializer : null;
  const names = new Set(literal?.properties.map((p) => p.name?.getText()) ?? []);
  for (const k of keys.filter((k) => k in en)) {
    const missing = placeholders(en[k as MessageKey]).filter((p) => !names.has(p));
    if (missing.length && (!params || literal)) out.push(`${where}: ${k} needs params ${missing.join(", ")}`);
  }
  // One key for one sentence: the message must read as the key's English, values aside.
  const message = site.message && skeleton(site.message);
  if (keys.length === 1 && ts.isStringLiteralLike(key.initializer) && message != null && keys[0]! in en) {
    const english = templateSkeleton(en[keys[0] as MessageKey]);
    if (english !== message) out.push(`${where}: the message reads "${message}" but ${keys[0]} reads "${english}"`);
  }
  return out;
}

describe("text lib/ words for a person", () => {
  it("keys every AppError a page can show, and keeps the list of the others exact", () => {
    const unkeyed: Record<string, number> = {};
    for (const f of scanned) for (const s of f.errors) if (!s.keyed) unkeyed[s.file] = (unkeyed[s.file] ?? 0) + 1;
    const listed = Object.fromEntries(
      Object.entries(UNKEYED)
        .filter(([, v]) => v.count > 0)
        .map(([f, v]) => [f, v.count]),
    );
    expect(unkeyed).toEqual(listed);
  });

  it("gives each keyed AppError a key in both dictionaries whose English reads as its message", () => {
    const problems = scanned.flatMap((f) => f.errors.flatMap((s) => problemsOf(s, "error.")));
    expect(problems).toEqual([]);
    expect(scanned.flatMap((f) => f.errors).filter((s) => s.keyed).length).toBeGreaterThan(100);
  });

  it("keys every VM event except the outage events, which are worded from their data", () => {
    const unkeyed: Record<string, number> = {};
    for (const f of scanned) for (const s of f.events) if (!s.keyed) unkeyed[s.file] = (unkeyed[s.file] ?? 0) + 1;
    expect(unkeyed).toEqual(OUTAGE_EVENTS);
    const problems = scanned.flatMap((f) => f.events.flatMap((s) => problemsOf(s, "event.")));
    expect(problems).toEqual([]);
  });

  it("has every hardening control's title in both dictionaries, reading as the control writes it", () => {
    const t = (locale: "en" | "nb") => (key: MessageKey, vars?: Record<string, string>) =>
      Object.entries(vars ?? {}).reduce((s, [k, v]) => s.replaceAll(`{${k}}`, v), LOCALES[locale][key] as string);
    const check = (c: { id: string; title: string }) =>
      controlTitle(c, t("en")) !== c.title || controlTitle(c, t("nb")) === c.title ? [`${c.id}: "${c.title}"`] : [];
    // Every control written with a plain id and title…
    const literal = scanned.flatMap((f) =>
      f.controls.flatMap((c) =>
        ts.isStringLiteral(c.id) && ts.isStringLiteral(c.title) ? check({ id: c.id.text, title: c.title.text }) : [],
      ),
    );
    expect(literal).toEqual([]);
    expect(scanned.flatMap((f) => f.controls).length).toBeGreaterThan(40);
    // …and those built from rules or with values, as the evaluators produce them.
    const fixture = (name: string): Record<string, string> =>
      JSON.parse(readFileSync(path.join(root, "tests/unit/guest-fixtures", `${name}.json`), "utf8"));
    const guest = (["vm", "k3s-server"] as const).flatMap(
      (role) =>
        evaluateGuestControls({
          evidence: parseGuestEvidence(fixture(role === "vm" ? "debian12-hardened-vm" : "debian12-hardened-k3s-server")),
          expect: { role, adminUser: "tenant", sshPort: 2222 },
        }).controls,
    );
    const agent = evaluateAgentControls({
      evidence: parseAgentEvidence({ unit: "active\n", config: "", modes: `600 root ${AGENT_ENV_FILE}\n`, server: "x\n" }),
      nodeName: "c1-agent-1",
      serverUrl: "https://10.0.2.15:6443",
    });
    expect(guest.length + agent.length).toBeGreaterThan(50);
    expect([...guest, ...agent].flatMap(check)).toEqual([]);
    // Evidence is what was read on the machine; only Skjold's own words about it are translated.
    expect(evidenceText("not a k3s node", t("nb"))).toBe("ikke en k3s-node");
    expect(evidenceText("not a k3s node", t("en"))).toBe("not a k3s node");
    expect(evidenceText("permitrootlogin no", t("nb"))).toBe("permitrootlogin no");
  });

  it("fails on an unkeyed message, a key with other English and a title without Norwegian", () => {
    const site = (code: string) => {
      const file = path.join(root, "lib/x.ts");
      const src = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true);
      const n = (src.statements[0] as ts.ExpressionStatement).expression as ts.NewExpression;
      const text = n.arguments?.[2] as ts.ObjectLiteralExpression | undefined;
      return { file: "lib/x.ts", line: 1, message: n.arguments?.[1], text, keyed: !!property(text, "key") };
    };
    expect(site('new AppError("CONFLICT", "Something new")').keyed).toBe(false);
    expect(problemsOf(site('new AppError("NOT_FOUND", "VM not found", { key: "error.vm.notFound" })'), "error.")).toEqual([]);
    expect(problemsOf(site('new AppError("NOT_FOUND", "VM gone", { key: "error.vm.notFound" })'), "error.")).toHaveLength(1);
    expect(problemsOf(site('new AppError("NOT_FOUND", `${a} x`, { key: "error.vm.noHost", params: {} })'), "error.").length).toBe(2);
    expect(problemsOf(site('new AppError("NOT_FOUND", "x", { key: "error.nope" })'), "error.")).toHaveLength(1);
    const en = (key: MessageKey) => LOCALES.en[key] as string;
    expect(controlTitle({ id: "ssh.banner", title: "A warning banner is shown" }, en)).toBe("A warning banner is shown");
    expect(controlTitle({ id: "ssh.banner", title: "A banner" }, (k) => LOCALES.nb[k])).toBe("A banner");
  });

  it("words a keyed refusal, an event and an unexpected error in the reader's language, English as lib/ wrote it", () => {
    const t = (locale: "en" | "nb") => (key: MessageKey, vars?: Record<string, string>) =>
      Object.entries(vars ?? {}).reduce((s, [k, v]) => s.replaceAll(`{${k}}`, v), LOCALES[locale][key] as string);
    const busy = new AppError("CONFLICT", "web-1 is stopped; power actions work on a running or stopped VM.", {
      key: "error.vm.powerWrongState",
      params: { name: "web-1", vmState: "STOPPED" },
    });
    expect(errorText(busy, t("en"))).toBe(busy.message);
    expect(errorText(busy, t("nb"))).toBe("web-1 har tilstanden «stoppet»; strømhandlinger virker på en VM som kjører eller er stoppet.");
    const quota = quotaRefusal({
      limits: { vms: 1, vcpus: 8, memoryMb: 8192, diskGb: 100 },
      used: { vms: 1, vcpus: 1, memoryMb: 512, diskGb: 10 },
      request: { vcpus: 1, memoryMb: 512, diskGb: 10 },
    })!;
    const refusal = new AppError("QUOTA_EXCEEDED", quota.message, { key: quota.key, params: quota.params });
    expect(errorText(refusal, t("en"))).toBe("Your team's quota allows 1 VM; 1 is in use.");
    expect(errorText(refusal, t("nb"))).toBe("Teamets kvote tillater 1 VM; 1 er i bruk.");
    // A cluster's node refused: the node's refusal inside the cluster's, both in the reader's words.
    const cluster = new AppError(
      "QUOTA_EXCEEDED",
      `Cluster c1 needs 3 nodes (1 server, 2 agents); node c1-agent-2 was refused: ${quota.message} Nothing was ordered.`,
      {
        key: "error.cluster.nodeRefusedAgentsNothingOrdered",
        params: { name: "c1", nodes: 3, agents: 2, node: "c1-agent-2", reason: { ...quota, code: "QUOTA_EXCEEDED" } },
      },
    );
    expect(errorText(cluster, t("en"))).toBe(cluster.message);
    expect(errorText(cluster, t("nb"))).toBe(
      "Klyngen c1 trenger 3 noder (1 server, 2 agenter); noden c1-agent-2 ble avvist: Teamets kvote tillater 1 VM; 1 er i bruk. Ingenting ble bestilt.",
    );
    // Not keyed yet: as the API words it. Unexpected: by its correlation id, in the reader's words.
    expect(errorText(new AppError("VALIDATION", "Order: name: too long"), t("nb"))).toBe("Order: name: too long");
    expect(errorText(new Error("boom"), t("nb"), { code: "INTERNAL", message: "x", correlationId: "c-1" })).toBe(
      "Noe gikk galt hos oss. Oppgi denne ID-en til operatøren din: c-1",
    );
    // An event keeps its key in data.text; a list is joined with the reader's "and"; an old row keeps its message.
    const data = {
      text: { key: "event.networkBridged", params: { tap: "vt1", host: "h1", bridge: "br0", mac: "m", addresses: ["a", "b"] } },
    };
    expect(keyedEventText(data, t("en"))).toBe("Tap vt1 on h1, on bridge br0; the host lets it send only from m, a and b");
    expect(keyedEventText(data, t("nb"))).toContain("m, a og b");
    expect(vmEventText({ kind: "started", message: "Domain x started", data: null }, t("nb"))).toBe("Domain x started");
  });

  it("words a validation refusal field by field, each field message found by its English", () => {
    const t = (locale: "en" | "nb") => (key: MessageKey, vars?: Record<string, string>) =>
      Object.entries(vars ?? {}).reduce((s, [k, v]) => s.replaceAll(`{${k}}`, v), LOCALES[locale][key] as string);
    // Every template reads back as itself (the most specific one wins) and as its Norwegian.
    const fill = (s: string) => s.replace(/\{\w+\}/g, "7");
    const fields = (Object.keys(en) as MessageKey[]).filter((k) => k.startsWith("field."));
    expect(fields.filter((k) => fieldText(fill(en[k]), t("en")) !== fill(en[k]))).toEqual([]);
    expect(fields.filter((k) => fieldText(fill(en[k]), t("nb")) !== fill(LOCALES.nb[k]))).toEqual([]);
    const schema = z.object({ name: z.string().max(3, "must be at most 3 characters"), email: z.email("must be a valid email address") });
    const refusal = fromZod(schema.safeParse({ name: "abcd", email: "x" }).error!, "Team");
    expect(errorText(refusal, t("en"))).toBe(refusal.message);
    expect(errorText(refusal, t("nb"))).toBe("Team: name: kan være høyst 3 tegn; email: må være en gyldig e-postadresse");
    const zodOwn = fromZod(z.object({ name: z.string() }).safeParse({}).error!, "Order");
    expect(errorText(zodOwn, t("en"))).toBe(zodOwn.message);
    expect(errorText(zodOwn, t("nb"))).toBe("Bestilling: name: Ugyldig verdi: forventet string, fikk undefined");
    expect(fieldText("something lib/ says", t("nb"))).toBe("something lib/ says");
  });

  it("has Norwegian for every validation message a portal form's schema writes", () => {
    const forms = [
      "lib/vms/order/",
      "lib/teams/",
      "lib/users/",
      "lib/auth/",
      "lib/clusters/order/",
      "lib/core/validation.ts",
      "lib/hosts/schemas.ts",
      "lib/network/pool-input.ts",
      "lib/latency/schemas.ts",
      "lib/catalog/",
      "lib/residency/operator-settings.ts",
      "lib/residency/portal-location.ts",
      "lib/audit/",
      "lib/firewall/",
    ];
    const CHECKS = new Set(["min", "max", "length", "regex", "refine", "superRefine", "email", "int", "positive", "nonnegative"]);
    const messages = new Set<string>();
    for (const file of libFiles().filter((f) => forms.some((p) => path.relative(root, f).startsWith(p)))) {
      const src = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
      const visit = (n: ts.Node) => {
        if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && CHECKS.has(n.expression.name.text)) {
          for (const a of n.arguments) {
            const texts = ts.isStringLiteralLike(a)
              ? [a.text]
              : ts.isObjectLiteralExpression(a)
                ? a.properties.flatMap((p) =>
                    ts.isPropertyAssignment(p) && ["message", "error"].includes(p.name.getText()) && ts.isStringLiteralLike(p.initializer)
                      ? [p.initializer.text]
                      : [],
                  )
                : [];
            for (const text of texts) if (/[a-z] [a-z]/.test(text)) messages.add(text);
          }
        }
        ts.forEachChild(n, visit);
      };
      visit(src);
    }
    const nb = (key: MessageKey, vars?: Record<string, string>) =>
      Object.entries(vars ?? {}).reduce((s, [k, v]) => s.replaceAll(`{${k}}`, v), LOCALES.nb[key] as string);
    expect(messages.size).toBeGreaterThan(20);
    expect([...messages].filter((m) => fieldText(m, nb) === m)).toEqual([]);
  });

  it("words a refusal stored as English only (a VM's lastError) when a template reads it, and keeps anything else", () => {
    const t = (locale: "en" | "nb") => (key: MessageKey, vars?: Record<string, string>) =>
      Object.entries(vars ?? {}).reduce((s, [k, v]) => s.replaceAll(`{${k}}`, v), LOCALES[locale][key] as string);
    expect(storedErrorText("VM web-1 is stopped", t("en"))).toBe("VM web-1 is stopped");
    expect(storedErrorText("VM web-1 is stopped", t("nb"))).toBe("VM-en web-1 har tilstanden «stoppet»");
    expect(storedErrorText("Image Debian 12 is not on host osl-kvm-01", t("nb"))).toBe("Imaget Debian 12 finnes ikke på verten osl-kvm-01");
    // Looks like "VM {name} is {vmState}", but "gone: x" is no state: kept as stored.
    expect(storedErrorText("VM web-1 is gone: x", t("nb"))).toBe("VM web-1 is gone: x");
    expect(storedErrorText("osl-kvm-01: define: connection lost twice", t("nb"))).toBe("osl-kvm-01: define: connection lost twice");
  });

  it("words a job's stored failure: the engine's words around it and the refusal inside, each in the reader's language", () => {
    const t = (locale: "en" | "nb") => (key: MessageKey, vars?: Record<string, string>) =>
      Object.entries(vars ?? {}).reduce((s, [k, v]) => s.replaceAll(`{${k}}`, v), LOCALES[locale][key] as string);
    const retry = { baseDelayMs: 1000, maxDelayMs: 60_000 };
    const gaveUp = decideAfterFailure({
      error: "VM web-1 is stopped",
      transient: true,
      attempts: 3,
      maxAttempts: 3,
      retry,
      outage: null,
      waitedMs: null,
    });
    if (gaveUp.action !== "fail") throw new Error("expected the engine to give up");
    expect(jobErrorText(gaveUp.error, t("nb"))).toBe("VM-en web-1 har tilstanden «stoppet» (ga opp etter 3 forsøk)");
    expect(jobErrorText(gaveUp.error, t("en"))).toBe(gaveUp.error);
    const outage = { key: "h", subject: "osl-kvm-01", since: new Date(), limitMs: 2 * 3600_000 };
    const waited = decideAfterFailure({
      error: "VM web-1 is stopped",
      transient: true,
      attempts: 1,
      maxAttempts: 3,
      retry,
      outage,
      waitedMs: 3_900_000 + 2 * 3600_000,
    });
    if (waited.action !== "fail") throw new Error("expected the engine to give up waiting");
    expect(jobErrorText(waited.error, t("nb"))).toBe(
      "VM-en web-1 har tilstanden «stoppet» (ventet 3 t 5 min på at osl-kvm-01 skulle svare igjen; grensen er 2 t)",
    );
    // A VM's rollback reason: the step by its name, what the rollback left, the engine's own words.
    const reason = "wait-ssh: VM web-1 is stopped (gave up after 3 attempts); rollback incomplete: define-start: the job's worker stopped";
    expect(jobErrorText(reason, t("nb"))).toBe(
      `${LOCALES.nb["jobStep.wait-ssh"]}: VM-en web-1 har tilstanden «stoppet» (ga opp etter 3 forsøk); tilbakerullingen ble ikke fullført: ${LOCALES.nb["jobStep.define-start"]}: jobbens arbeider stoppet`,
    );
    expect(jobErrorText(reason, t("en"))).toBe(
      reason.replace("wait-ssh", LOCALES.en["jobStep.wait-ssh"]).replace("define-start", LOCALES.en["jobStep.define-start"]),
    );
    expect(jobErrorText("Unexpected error; quote this id to your operator: 1234-ab", t("nb"))).toBe(
      "Uventet feil; oppgi denne id-en til driftsansvarlig: 1234-ab",
    );
    // Nothing of ours in it: kept as stored.
    expect(jobErrorText("osl-kvm-01: define: connection lost twice", t("nb"))).toBe("osl-kvm-01: define: connection lost twice");
  });

  it("words a refusal that lists things (a pool's holders, teams and their policies) item by item", () => {
    const t = (key: MessageKey, vars?: Record<string, string>) =>
      Object.entries(vars ?? {}).reduce((s, [k, v]) => s.replaceAll(`{${k}}`, v), LOCALES.nb[key] as string);
    const holders = listText(
      [
        nestedText("error.pool.holder", { address: "198.51.100.5", vm: "web-1" }),
        nestedText("error.pool.holder", { address: "198.51.100.6", vm: "db-1" }),
      ],
      true,
    );
    const params = {
      name: "edge",
      cidr: "198.51.100.0/24",
      reasons: nestedText("error.list.and", {
        first: nestedText("error.pool.held", { count: 3, holders }),
        second: nestedText("error.pool.restingOne", { until: "2026-12-02 10:00" }),
      }),
    };
    const err = new AppError("CONFLICT", errorMessage("error.pool.inUse", params), { key: "error.pool.inUse", params });
    expect(err.message).toBe(
      "Pool edge (198.51.100.0/24) cannot be deleted: 3 addresses are held by VMs (198.51.100.5 by web-1, 198.51.100.6 by db-1, …) and 1 address is in quarantine until 2026-12-02 10:00 UTC. Delete those VMs first, and wait for the quarantine to end.",
    );
    expect(errorText(err, t)).toBe(
      "Utvalget edge (198.51.100.0/24) kan ikke slettes: 3 adresser brukes av VM-er (198.51.100.5 av web-1, 198.51.100.6 av db-1, …) og 1 adresse er i karantene til 2026-12-02 10:00 UTC. Slett de VM-ene først, og vent til karantenen er over.",
    );
    const teams = listText([
      { message: "acme (Norway only)", code: "TEXT", key: "error.residency.teamPolicy", params: { slug: "acme", policy: "NORWAY_ONLY" } },
    ]);
    expect(libTextOf(teams, t)).toBe(`acme (${LOCALES.nb["residency.policyName.NORWAY_ONLY"]})`);
  });
});
