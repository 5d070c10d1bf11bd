import { createElement as h } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DataTable } from "@/components/data-table";
import { StatusBadge } from "@/components/status-badge";

// The shared list pieces render the markup the pages and the e2e specs rely on.

type Row = { id: string; name: string; state: string };
const rows: Row[] = [
  { id: "a", name: "web-1", state: "RUNNING" },
  { id: "b", name: "db-1", state: "FAILED" },
];
const columns = [
  { key: "name", header: "Name", className: "mono", cell: (r: Row) => r.name },
  { key: "state", header: "State", cell: (r: Row) => r.state.toLowerCase() },
];

describe("DataTable", () => {
  it("renders a header, one row per item with its attributes, inside the scrolling wrapper", () => {
    const html = renderToStaticMarkup(
      h(DataTable<Row>, { testId: "vm-list", rows, columns, rowKey: (r) => r.id, rowProps: (r) => ({ "data-vm": r.name }) }),
    );
    expect(html).toBe(
      '<div class="table-wrap"><table data-testid="vm-list"><thead><tr><th>Name</th><th>State</th></tr></thead><tbody>' +
        '<tr data-vm="web-1"><td class="mono">web-1</td><td>running</td></tr>' +
        '<tr data-vm="db-1"><td class="mono">db-1</td><td>failed</td></tr></tbody></table></div>',
    );
  });

  it("shows the empty text instead of a table, or keeps the header when it has none", () => {
    expect(
      renderToStaticMarkup(h(DataTable<Row>, { rows: [], columns, rowKey: (r) => r.id, empty: "No VMs yet.", emptyTestId: "none" })),
    ).toBe('<p class="muted" data-testid="none">No VMs yet.</p>');
    expect(renderToStaticMarkup(h(DataTable<Row>, { rows: [], columns, rowKey: (r) => r.id, bare: true }))).toBe(
      "<table><thead><tr><th>Name</th><th>State</th></tr></thead><tbody></tbody></table>",
    );
  });

  it("leaves out a column given as false and adds a detail row across the others", () => {
    const html = renderToStaticMarkup(
      h(DataTable<Row>, {
        bare: true,
        rows: rows.slice(0, 1),
        columns: [columns[0]!, false, null],
        rowKey: (r) => r.id,
        detail: (r) => `edit ${r.name}`,
      }),
    );
    expect(html).toBe(
      '<table><thead><tr><th>Name</th></tr></thead><tbody><tr><td class="mono">web-1</td></tr>' +
        '<tr><td colSpan="1" class="detail-cell">edit web-1</td></tr></tbody></table>',
    );
  });
});

describe("StatusBadge", () => {
  it("colours a state from the one map, and keeps the translated label", () => {
    expect(renderToStaticMarkup(h(StatusBadge<"vm">, { of: "vm", state: "RUNNING", label: "kjører" }))).toBe(
      '<span class="badge ok">kjører</span>',
    );
    expect(renderToStaticMarkup(h(StatusBadge<"host">, { of: "host", state: "KEY_MISMATCH", label: "key mismatch" }))).toBe(
      '<span class="badge bad">key mismatch</span>',
    );
    expect(renderToStaticMarkup(h(StatusBadge<"job">, { of: "job", state: "RUNNING", label: "running", testId: "job-state" }))).toBe(
      '<span class="badge warn" data-testid="job-state">running</span>',
    );
  });

  it("stays grey where a page asks for it plain, and exposes the state on request", () => {
    expect(renderToStaticMarkup(h(StatusBadge<"vm">, { of: "vm", state: "FAILED", label: "failed", plain: true }))).toBe(
      '<span class="badge ">failed</span>',
    );
    expect(renderToStaticMarkup(h(StatusBadge<"cluster">, { of: "cluster", state: "READY", label: "klar", exposeState: true }))).toBe(
      '<span class="badge ok" data-state="READY">klar</span>',
    );
  });
});
