"use client";

import Link from "next/link";
import { useActionState, useState } from "react";
import { useFormStatus } from "react-dom";
import type { FormAction } from "@/components/action-state";
import { formatBytes, mib } from "@/components/format-bytes";
import { RegionPicker, type RegionChoice, type RegionPickerLabels } from "@/components/region-picker";
import { checkQuota, quotaAfter, type QuotaFigures } from "@/lib/vms/order/quota";

export interface OrderFormProps {
  regions: RegionChoice[];
  plans: { code: string; name: string; vcpus: number; memoryMb: number; diskGb: number; priceNokMonthly: number }[];
  images: { slug: string; name: string }[];
  sshKeys: { id: string; name: string; keyType: string; fingerprint: string }[];
  quota: { limits: QuotaFigures; used: QuotaFigures };
  /** the team's private networks; those of the chosen region are offered */
  privateNetworks: { id: string; name: string; regionCode: string; cidr: string }[];
  regionLabels: RegionPickerLabels;
  labels: Record<
    | "plan"
    | "image"
    | "sshKey"
    | "noKeys"
    | "addKey"
    | "hostname"
    | "hostnameHint"
    | "submit"
    | "quota"
    | "overQuota"
    | "perMonth"
    | "vcpus"
    | "memory"
    | "disk"
    | "privateNetworks",
    string
  >;
  action: FormAction;
}

const fill = (template: string, vars: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`));
const memoryGib = (mb: number) => formatBytes(mib(mb), { unit: "GiB", decimals: 1, trim: true, bare: true });

function Submit({ label, blocked }: { label: string; blocked: boolean }) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" disabled={pending || blocked} aria-busy={pending}>
      {label}
    </button>
  );
}

export function OrderForm(props: OrderFormProps) {
  const [state, formAction] = useActionState(props.action, {});
  const firstRegion = props.regions.find((r) => r.allowedByPolicy && r.hasCapacity)?.code ?? "";
  // Controlled fields: React resets a form after its action, and a refused order must keep its inputs.
  const [region, setRegion] = useState(firstRegion);
  const [plan, setPlan] = useState(props.plans[0]?.code ?? "");
  const [image, setImage] = useState(props.images[0]?.slug ?? "");
  const [key, setKey] = useState(props.sshKeys[0]?.id ?? "");
  const [name, setName] = useState("");
  const chosen = props.plans.find((p) => p.code === plan);
  const after = chosen ? quotaAfter(props.quota.used, chosen) : null;
  const refusal = chosen ? checkQuota({ ...props.quota, request: chosen }) : null;
  const { limits } = props.quota;
  const L = props.labels;

  return (
    <form action={formAction} className="stack" data-testid="order-form">
      <RegionPicker regions={props.regions} labels={props.regionLabels} value={region} onChange={setRegion} />
      <fieldset className="choices" data-testid="plan-picker">
        <legend>{L.plan}</legend>
        {props.plans.map((p) => (
          <label key={p.code} className="choice">
            <input type="radio" name="planCode" value={p.code} checked={plan === p.code} onChange={() => setPlan(p.code)} />
            <span className="choice-body">
              <span className="choice-title">{p.name}</span>
              <span>
                {p.vcpus} {L.vcpus} · {memoryGib(p.memoryMb)} GiB {L.memory} · {p.diskGb} GB {L.disk}
              </span>
              <span>
                <strong>{p.priceNokMonthly}</strong> {L.perMonth}
              </span>
            </span>
          </label>
        ))}
      </fieldset>
      {props.privateNetworks.some((n) => n.regionCode === region) ? (
        <fieldset className="choices" data-testid="private-network-picker">
          <legend>{L.privateNetworks}</legend>
          {props.privateNetworks
            .filter((n) => n.regionCode === region)
            .map((n) => (
              <label key={n.id} className="choice">
                <input type="checkbox" name="privateNetworkIds" value={n.id} />
                <span className="choice-body">
                  <span className="choice-title">{n.name}</span>
                  <span className="mono">{n.cidr}</span>
                </span>
              </label>
            ))}
        </fieldset>
      ) : null}
      <div className="grid">
        <label>
          {L.image}
          <select name="imageSlug" value={image} onChange={(e) => setImage(e.target.value)} required>
            {props.images.map((i) => (
              <option key={i.slug} value={i.slug}>
                {i.name}
              </option>
            ))}
          </select>
        </label>
        {/* biome-ignore lint/a11y/noLabelWithoutControl: it wraps the key select whenever the user has a key */}
        <label>
          {L.sshKey}
          {props.sshKeys.length ? (
            <select name="sshKeyId" value={key} onChange={(e) => setKey(e.target.value)} required>
              {props.sshKeys.map((k) => (
                <option key={k.id} value={k.id}>
                  {k.name} — {k.keyType} {k.fingerprint.slice(0, 20)}…
                </option>
              ))}
            </select>
          ) : (
            <span className="alert error">
              {L.noKeys} <Link href="/account/keys">{L.addKey}</Link>
            </span>
          )}
        </label>
        <label>
          {L.hostname}
          <input
            name="name"
            value={name}
            onChange={(e) => setName(e.target.value.toLowerCase())}
            required
            maxLength={63}
            pattern="[a-z0-9]([a-z0-9\-]{0,61}[a-z0-9])?"
            autoComplete="off"
            spellCheck={false}
            placeholder="web-1"
            aria-describedby="hostname-hint"
          />
          <span id="hostname-hint" className="muted">
            {L.hostnameHint}
          </span>
        </label>
      </div>
      {after ? (
        <p className="quota-line" data-testid="quota-line">
          {fill(L.quota, {
            planVcpus: chosen!.vcpus,
            planMemory: memoryGib(chosen!.memoryMb),
            planDisk: chosen!.diskGb,
            vcpus: after.vcpus,
            maxVcpus: limits.vcpus,
            memory: memoryGib(after.memoryMb),
            maxMemory: memoryGib(limits.memoryMb),
            disk: after.diskGb,
            maxDisk: limits.diskGb,
            vms: after.vms,
            maxVms: limits.vms,
          })}
        </p>
      ) : null}
      {refusal ? (
        <p className="alert error" role="alert" data-testid="quota-refusal">
          {fill(L.overQuota, { what: refusal })}
        </p>
      ) : null}
      {state.error ? (
        <p className="alert error" role="alert" data-testid="order-error">
          {state.error}
        </p>
      ) : null}
      <div>
        <Submit label={L.submit} blocked={Boolean(refusal) || !region || !key} />
      </div>
    </form>
  );
}
