import Link from "next/link";
import { ActionForm } from "@/components/action-form";
import { DataTable } from "@/components/data-table";
import { requireTeam, roleCan } from "@/lib/access/team-access";
import { readAllPages } from "@/lib/core/pagination";
import { getPrisma } from "@/lib/db";
import { listSigningKeys } from "@/lib/teams/signing-keys";
import { getT, pageTitle } from "@/app/_i18n/server";
import { notFoundIfMissing, requireUser } from "@/app/_server/request";
import { addSigningKeyAction, deleteSigningKeyAction } from "./actions";

export const generateMetadata = pageTitle("signingKeys.title");

export default async function SigningKeysPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const user = await requireUser();
  const prisma = await getPrisma();
  const { t } = await getT(user.locale);
  const { team, role } = await requireTeam({ prisma, principal: user, slug, need: "read" }).catch(notFoundIfMissing);
  const manage = roleCan(role, "manage");
  const keys = await readAllPages((page) => listSigningKeys({ prisma, principal: user, teamSlug: team.slug, page }));
  return (
    <div className="stack">
      <p className="muted">
        <Link href={`/teams/${team.slug}`}>← {team.slug}</Link>
      </p>
      <h1>{t("signingKeys.title")}</h1>
      <p className="muted">{t("signingKeys.intro")}</p>
      <section className="card" aria-labelledby="team-signing-keys">
        <h2 id="team-signing-keys">{t("signingKeys.registered", { team: team.name })}</h2>
        <DataTable
          testId="signing-keys"
          rows={keys}
          rowKey={(k) => k.id}
          empty={t("signingKeys.none")}
          emptyTestId="no-signing-keys"
          columns={[
            { key: "name", header: t("common.name"), cell: (k) => k.name },
            { key: "type", header: t("keys.type"), cell: (k) => k.keyType },
            { key: "fingerprint", header: t("keys.fingerprint"), className: "mono", cell: (k) => k.fingerprint },
            { key: "created", header: t("common.created"), cell: (k) => k.createdAt.toISOString().slice(0, 10) },
            manage && {
              key: "delete",
              header: "",
              cell: (k) => (
                <ActionForm
                  action={deleteSigningKeyAction}
                  submit={t("keys.delete")}
                  variant="danger"
                  confirm={t("signingKeys.confirmDelete", { name: k.name })}
                >
                  <input type="hidden" name="slug" value={team.slug} />
                  <input type="hidden" name="keyId" value={k.id} />
                </ActionForm>
              ),
            },
          ]}
        />
      </section>
      <section className="card" aria-labelledby="how-to-sign">
        <h2 id="how-to-sign">{t("signingKeys.howTo")}</h2>
        <p>{t("signingKeys.howToIntro")}</p>
        <pre className="mono">
          {`cosign generate-key-pair            # once: cosign.key stays in your CI secrets
trivy image --format cosign-vuln --output scan.json "$IMAGE"
cosign attest --key cosign.key --type vuln --predicate scan.json --tlog-upload=false "$IMAGE"`}
        </pre>
        <p className="muted">{t("signingKeys.rule")}</p>
      </section>
      {manage ? (
        <section className="card" aria-labelledby="add-signing-key">
          <h2 id="add-signing-key">{t("signingKeys.add")}</h2>
          <ActionForm action={addSigningKeyAction} submit={t("signingKeys.add")} testId="add-signing-key-form">
            <input type="hidden" name="slug" value={team.slug} />
            <label>
              {t("keys.name")}
              <input name="name" required maxLength={60} placeholder="ci-2026" />
            </label>
            <label>
              {t("signingKeys.publicKey")}
              <textarea
                name="publicKey"
                required
                rows={5}
                className="mono"
                spellCheck={false}
                autoComplete="off"
                placeholder={"-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----"}
              />
            </label>
            <p className="muted">{t("signingKeys.addHint")}</p>
          </ActionForm>
        </section>
      ) : (
        <p className="muted">{t("signingKeys.ownersOnly")}</p>
      )}
    </div>
  );
}
