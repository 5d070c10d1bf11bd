import { Fragment, type ReactNode } from "react";

// The one table every list page renders: a header row from the columns, a row per item, and an
// empty state. No hooks, so server pages and client components (job progress) use it alike.

/** Attributes a row or cell may carry for tests and styling (`data-…`, `aria-current`, a class). */
export type ElementAttributes = { [data: `data-${string}`]: string | undefined } & {
  className?: string;
  "aria-current"?: "true" | "page" | undefined;
};

export interface Column<Row> {
  /** Unique within the table (React key). */
  key: string;
  /** The header text, already translated; empty for a column of buttons. */
  header: ReactNode;
  cell: (row: Row) => ReactNode;
  /** The cells' class (e.g. "mono"). */
  className?: string;
  /** Per-cell attributes, e.g. a `data-testid` a test finds the cell by. */
  cellProps?: (row: Row) => ElementAttributes;
}

export function DataTable<Row>(props: {
  /** `false`, `null` or `undefined` leaves a column out (e.g. the delete buttons for a role that cannot delete). */
  columns: (Column<Row> | false | null | undefined)[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  /** Shown instead of the table when there are no rows; without it an empty table keeps its header. */
  empty?: ReactNode;
  emptyTestId?: string;
  testId?: string;
  /** An accessible name for the table (`aria-label`). */
  label?: string;
  caption?: ReactNode;
  /** Announce changes to assistive technology (a table that updates live). */
  live?: boolean;
  rowProps?: (row: Row) => ElementAttributes;
  /** A second row under an item, across every column (e.g. its edit form). */
  detail?: (row: Row) => ReactNode;
  /** Without the scrolling wrapper, for a table already inside one (a `.card.table-wrap`). */
  bare?: boolean;
  className?: string;
}) {
  const columns = props.columns.filter((c): c is Column<Row> => Boolean(c));
  if (props.rows.length === 0 && props.empty !== undefined) {
    return (
      <p className="muted" data-testid={props.emptyTestId}>
        {props.empty}
      </p>
    );
  }
  const table = (
    <table data-testid={props.testId} aria-label={props.label} aria-live={props.live ? "polite" : undefined} className={props.className}>
      {props.caption ? <caption>{props.caption}</caption> : null}
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.key}>{c.header}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => {
          const key = props.rowKey(row);
          const detail = props.detail?.(row);
          return (
            <Fragment key={key}>
              <tr {...props.rowProps?.(row)}>
                {columns.map((c) => (
                  <td key={c.key} className={c.className} {...c.cellProps?.(row)}>
                    {c.cell(row)}
                  </td>
                ))}
              </tr>
              {detail ? (
                <tr>
                  <td colSpan={columns.length} className="detail-cell">
                    {detail}
                  </td>
                </tr>
              ) : null}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
  return props.bare ? table : <div className="table-wrap">{table}</div>;
}
