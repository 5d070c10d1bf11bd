import { ActionForm } from "@/components/action-form";
import { DataTable } from "@/components/data-table";
import { readAllPages } from "@/lib/core/pagination";
import { getPrisma } from "@/lib/db";
import { listSshKeys } from "@/lib/users/ssh-keys";
import { getT, pageTitle } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";
import { addSshKeyAction, deleteSshKeyAction } from "./actions";

export const generateMetadata = pageTitle("keys.title");

export default async function SshKeysPage() {
  const user = await requireUser();
  const { t } = await getT(user.locale);
  const prisma = await getPrisma();
  const keys = await readAllPages((page) => listSshKeys({ prisma, principal: user, page }));
  return (
    <div className="stack">
      <h1>{t("keys.title")}</h1>
      <p className="muted">{t("keys.intro")}</p>
      <section className="card" aria-labelledby="your-keys">
        <h2 id="your-keys">{t("keys.yours")}</h2>
        <DataTable
          testId="ssh-keys"
          rows={keys}
          rowKey={(k) => k.id}
          empty={t("keys.none")}
          columns={[
            { key: "name", header: t("common.name"), cell: (k) => k.name },
            {
              key: "type",
              header: t("keys.type"),
              cell: (k) => (
                <>
                  {k.keyType} <span className="muted">{k.bits ? `${k.bits} bits` : ""}</span>
                </>
              ),
            },
            { key: "fingerprint", header: t("keys.fingerprint"), className: "mono", cell: (k) => k.fingerprint },
            { key: "created", header: t("common.created"), cell: (k) => k.createdAt.toISOString().slice(0, 10) },
            {
              key: "delete",
              header: "",
              cell: (k) => (
                <ActionForm
                  action={deleteSshKeyAction}
                  submit={t("keys.delete")}
                  variant="danger"
                  confirm={t("keys.confirmDelete", { name: k.name })}
                >
                  <input type="hidden" name="keyId" value={k.id} />
                </ActionForm>
              ),
            },
          ]}
        />
      </section>
      <section className="card" aria-labelledby="add-key">
        <h2 id="add-key">{t("keys.add")}</h2>
        <ActionForm action={addSshKeyAction} submit={t("keys.add")} testId="add-key-form">
          <label>
            {t("keys.name")}
            <input name="name" required maxLength={60} placeholder="laptop" />
          </label>
          <label>
            {t("keys.publicKey")}
            <textarea
              name="publicKey"
              required
              rows={4}
              className="mono"
              spellCheck={false}
              autoComplete="off"
              placeholder="ssh-ed25519 AAAAC3Nza… you@laptop"
            />
          </label>
          <p className="muted">
            {t("keys.hint")} <code>ssh-keygen -t ed25519</code> · <code>cat ~/.ssh/id_ed25519.pub</code>
          </p>
        </ActionForm>
      </section>
    </div>
  );
}
