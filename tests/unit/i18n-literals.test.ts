import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// Every word a user reads comes from the dictionary (app/_i18n), in English and Norwegian. This test
// reads the pages and shared components the way the compiler does and fails on text written into
// them: JSX text, strings in JSX expressions, visible props (title, placeholder, aria-label, alt, and
// our own components' submit, confirm, secretLabel, label, labels), a page's metadata title, and the
// messages server actions return or throw. What is not language stays allowed: names of products,
// protocols and units, example values in placeholders, code samples in <code> and <pre>.

const root = path.resolve(import.meta.dirname, "../..");

/** Words that read the same in every language the portal speaks, and why. */
const NEUTRAL_WORDS: Record<string, string> = {
  Skjold: "the product's name",
  ...Object.fromEntries(["B", "KiB", "MiB", "GiB", "TiB", "GB", "ms", "s", "min", "h", "UTC", "NOK", "bits"].map((w) => [w, "a unit"])),
  ...Object.fromEntries(
    [
      "vCPU",
      "CPU",
      "RAM",
      "NVMe",
      "IPv4",
      "IPv6",
      "SSH",
      "KVM",
      "TCG",
      "QEMU",
      "libvirt",
      "ICMP",
      "TCP",
      "ping",
      "k3s",
      "CIDR",
      "sha256",
      "SHA",
      "CSV",
      "JSON",
      "PDF",
      "API",
      "DNS",
      "2FA",
      "Initrd",
    ].map((w) => [w, "a protocol, product or format, named the same in Norwegian"]),
  ),
};

/** Whole strings that are not language, and why. */
const NEUTRAL_TEXTS: Record<string, string> = {
  English: "the language switch names each language in that language",
  "Norsk (bokmål)": "the language switch names each language in that language",
  skj_: "the fixed prefix of every API token",
  "web-1": "an example hostname",
  "osl-kvm-01": "an example host name",
  skjold: "an example SSH user (the image's admin user)",
  eth0: "an example interface",
  br0: "an example bridge",
  "ci-2026": "an example key name",
  laptop: "an example key name",
  backend: "an example private network name",
  "ssh-ed25519 AAAAC3Nza… you@laptop": "an example public key",
  "-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----": "the PEM frame of a public key",
  "auth.sign_in": "an example audit action (a code)",
  "/var/lib/…/vmlinuz": "an example path",
  "debian-12-base-….qcow2": "an example volume name",
  trd1: "an example region code",
  NO: "an example country code",
  rs1: "an example probe target name",
  "NIX Oslo": "an example exchange (a proper name)",
  "osl1-v4-a": "an example pool name",
  web: "an example firewall rule set name",
  "tcp 443 0.0.0.0/0, ::/0\ntcp 22 198.51.100.0/24\nicmp 0.0.0.0/0, ::/0": "example firewall rules (protocols, ports, prefixes)",
};

/** Props whose text a user reads (DataTable's columns carry their headers and cells). */
const VISIBLE_PROPS = new Set([
  "title",
  "placeholder",
  "aria-label",
  "alt",
  "label",
  "submit",
  "confirm",
  "secretLabel",
  "labels",
  "columns",
  "empty",
  "caption",
]);
/** Properties of an object literal that hold a value, not text (a column's key, a class, a test id). */
const VALUE_KEYS = new Set(["key", "className", "testId", "emptyTestId", "href", "id", "name", "type", "variant", "of", "state"]);
/** Elements whose content is code, shown as typed. */
const CODE_ELEMENTS = new Set(["code", "pre", "kbd", "samp"]);

interface Finding {
  file: string;
  line: number;
  text: string;
}

function isLanguage(text: string): boolean {
  const t = text.trim();
  if (!t || NEUTRAL_TEXTS[t] !== undefined) return false;
  const rest = t.replace(/[\p{L}\p{N}_]+/gu, (word) => (NEUTRAL_WORDS[word] !== undefined || !/\p{L}/u.test(word) ? " " : word));
  return /\p{L}/u.test(rest);
}

function tagName(node: ts.Node): string | null {
  if (ts.isJsxElement(node)) return node.openingElement.tagName.getText();
  if (ts.isJsxSelfClosingElement(node)) return node.tagName.getText();
  return null;
}

function insideCode(node: ts.Node): boolean {
  for (let p: ts.Node | undefined = node.parent; p; p = p.parent) {
    const tag = tagName(p);
    if (tag && CODE_ELEMENTS.has(tag)) return true;
  }
  return false;
}

const COMPARISONS = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
  ts.SyntaxKind.InKeyword,
]);

const isTranslate = (call: ts.CallExpression) => {
  const callee = call.expression;
  return ts.isIdentifier(callee) && callee.text === "t";
};

/** The literal text inside an expression: its strings and templates, but not keys passed to t() nor nested JSX. */
function literalsIn(expr: ts.Node, found: (node: ts.Node, text: string) => void): void {
  const returns = (n: ts.Node): void => {
    // a callback's block body: only what it returns is shown (`const state = x ? "revoked" : "active"` is a value)
    if (ts.isReturnStatement(n) && n.expression) visit(n.expression);
    else if (!ts.isFunctionLike(n)) ts.forEachChild(n, returns);
  };
  const visit = (n: ts.Node): void => {
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) {
      found(n, n.text);
      return;
    }
    if (ts.isTemplateExpression(n)) {
      found(n, [n.head.text, ...n.templateSpans.map((s) => s.literal.text)].join(" "));
      for (const s of n.templateSpans) visit(s.expression);
      return;
    }
    if (ts.isJsxElement(n) || ts.isJsxSelfClosingElement(n) || ts.isJsxFragment(n)) return; // visited on its own
    if (ts.isCallExpression(n)) {
      // t("key", { vars }): the key is not text, its variables may be. Other calls compute values from
      // their arguments ("_", "en-US"), except callbacks (rows.map((r) => …)), whose results are shown.
      if (isTranslate(n) && n.arguments[1]) visit(n.arguments[1]);
      else for (const a of n.arguments) if (ts.isArrowFunction(a) || ts.isFunctionExpression(a)) visit(a);
      return;
    }
    if (ts.isArrowFunction(n) || ts.isFunctionExpression(n)) {
      if (ts.isBlock(n.body)) returns(n.body);
      else visit(n.body);
      return;
    }
    if (ts.isElementAccessExpression(n) || ts.isPropertyAccessExpression(n)) return;
    if (ts.isBinaryExpression(n) && COMPARISONS.has(n.operatorToken.kind)) return; // a === "RUNNING": a value, not text
    if (ts.isPropertyAssignment(n)) {
      const key = ts.isIdentifier(n.name) || ts.isStringLiteral(n.name) ? n.name.text : "";
      if (!VALUE_KEYS.has(key) && !key.startsWith("data-") && !key.startsWith("aria-current")) visit(n.initializer);
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(expr);
}

/** Text a user would read that is written into a .tsx file instead of coming from the dictionary. */
function findLiteralsInTsx(file: string, source: string): Finding[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const out: Finding[] = [];
  const add = (node: ts.Node, text: string) => {
    if (isLanguage(text) && !insideCode(node)) {
      out.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, text: text.trim().replace(/\s+/g, " ") });
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isJsxText(node)) add(node, node.text);
    else if (ts.isJsxExpression(node) && node.expression && !ts.isJsxAttribute(node.parent)) literalsIn(node.expression, add);
    else if (ts.isJsxAttribute(node) && VISIBLE_PROPS.has(node.name.getText())) {
      const init = node.initializer;
      if (init && ts.isStringLiteral(init)) add(init, init.text);
      else if (init && ts.isJsxExpression(init) && init.expression) literalsIn(init.expression, add);
    } else if (ts.isVariableDeclaration(node) && node.name.getText() === "metadata" && node.initializer) {
      // A page's title is read in the browser's tab: it comes from generateMetadata and the dictionary.
      literalsIn(node.initializer, (n, text) => (text.includes("%s") ? undefined : add(n, text)));
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** Messages a server action hands its form (`message`, `error`) or throws (`new AppError(code, message)`). */
function findLiteralsInActions(file: string, source: string): Finding[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: Finding[] = [];
  const add = (node: ts.Node, text: string) => {
    if (isLanguage(text))
      out.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, text: text.trim().replace(/\s+/g, " ") });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAssignment(node) && ["message", "error"].includes(node.name.getText())) literalsIn(node.initializer, add);
    if (ts.isNewExpression(node) && node.expression.getText() === "AppError" && node.arguments?.[1]) literalsIn(node.arguments[1], add);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function filesUnder(dir: string, test: (name: string) => boolean): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && test(e.name))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

describe("user-visible text comes from the dictionary", () => {
  it("finds text written into a page, its props, its title and an action's message (planted fixtures)", () => {
    const page = `
      export const metadata = { title: "Hosts" };
      export default function P({ t, n }) {
        return (
          <section title="Refresh">
            <h1>{t("admin.hosts")}</h1>
            <p>Not checked yet.</p>
            <input placeholder="web-1" aria-label={n ? "Search hosts" : t("common.name")} />
            <ActionForm submit="Clean up" confirm={\`Destroy \${n}?\`} />
            <td>{n ? "not pinned" : "–"} {n} vCPU · {n} GiB RAM</td>
            <DataTable
              columns={[{ key: "target", header: "Target", className: "mono", cell: (e) => e.ip ?? "nowhere" }]}
              rowProps={(r) => ({ "data-state": "RUNNING" })}
            />
            {rows.map((r) => (r.on ? "on" : t("users.totpOff")))}
            <pre>cosign attest --key cosign.key</pre>
            <Link href={\`/teams/\${n}\`} className="mono">Skjold</Link>
          </section>
        );
      }`;
    expect(findLiteralsInTsx("fixture.tsx", page).map((f) => f.text)).toEqual([
      "Hosts",
      "Refresh",
      "Not checked yet.",
      "Search hosts",
      "Clean up",
      "Destroy ?",
      "not pinned",
      "Target",
      "nowhere",
      "on",
    ]);
    const actions = `
      export async function a() {
        if (x) throw new AppError("VALIDATION", \`Type \${name} exactly to delete it.\`);
        return { message: t("networks.created", { name }) } ?? { message: \`Team \${name} created.\` };
      }`;
    expect(findLiteralsInActions("actions.ts", actions).map((f) => f.text)).toEqual(["Type exactly to delete it.", "Team created."]);
  });

  it("finds none in app/ and components/", () => {
    const pages = [...filesUnder("app", (n) => n.endsWith(".tsx")), ...filesUnder("components", (n) => n.endsWith(".tsx"))];
    const actions = filesUnder("app", (n) => n === "actions.ts");
    expect(pages.length).toBeGreaterThan(40);
    expect(actions.length).toBeGreaterThan(10);
    const findings = [
      ...pages.flatMap((f) => findLiteralsInTsx(f, readFileSync(path.join(root, f), "utf8"))),
      ...actions.flatMap((f) => findLiteralsInActions(f, readFileSync(path.join(root, f), "utf8"))),
    ];
    expect(findings.map((f) => `${f.file}:${f.line}: ${f.text}`)).toEqual([]);
  });
});
