import type { Metadata } from "next";
import { ActionForm } from "@/components/action-form";
import { readAllPages } from "@/lib/core/pagination";
import { getPrisma } from "@/lib/db";
import { listSshKeys } from "@/lib/users/ssh-keys";
import { getT } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";
import { addSshKeyAction, deleteSshKeyAction } from "./actions";

export const metadata: Metadata = { title: "SSH keys" };

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
        {keys.length === 0 ? (
          <p className="muted">{t("keys.none")}</p>
        ) : (
          <div className="table-wrap">
            <table data-testid="ssh-keys">
              <thead>
                <tr>
                  <th>{t("common.name")}</th>
                  <th>{t("keys.type")}</th>
                  <th>{t("keys.fingerprint")}</th>
                  <th>{t("common.created")}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {keys.map((k) => (
                  <tr key={k.id}>
                    <td>{k.name}</td>
                    <td>
                      {k.keyType} <span className="muted">{k.bits ? `${k.bits} bits` : ""}</span>
                    </td>
                    <td className="mono">{k.fingerprint}</td>
                    <td>{k.createdAt.toISOString().slice(0, 10)}</td>
                    <td>
                      <ActionForm
                        action={deleteSshKeyAction}
                        submit={t("keys.delete")}
                        variant="danger"
                        confirm={t("keys.confirmDelete", { name: k.name })}
                      >
                        <input type="hidden" name="keyId" value={k.id} />
                      </ActionForm>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
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
