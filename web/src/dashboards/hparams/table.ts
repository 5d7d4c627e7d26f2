// The session table: a column per hparam and metric, sorted by a header click,
// filtered per column; clicking a row selects the session.

import { formatValue } from "../../charts/format";
import { el } from "../common/dom";
import { passes, sessionColor, type Column, type Session } from "./data";

export interface TableState {
  sortKey: string;
  descending: boolean;
  filters: Record<string, string>;
}

export function cellText(value: Session["values"][string]): string {
  if (value === null || value === undefined) return "";
  return typeof value === "number" ? formatValue(value) : String(value);
}

/** The sessions passing every filter, in the table's order. */
export function visibleSessions(sessions: Session[], state: TableState): Session[] {
  const shown = sessions.filter((s) => Object.entries(state.filters).every(([key, filter]) => passes(key === "name" ? s.name : s.values[key], filter)));
  const value = (s: Session) => (state.sortKey === "name" ? s.name : s.values[state.sortKey]);
  const sign = state.descending ? -1 : 1;
  return shown.sort((a, b) => {
    const [x, y] = [value(a), value(b)];
    if (x === y) return 0;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    return (typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true })) * sign;
  });
}

export function sessionTable(
  columns: Column[],
  sessions: Session[],
  state: TableState,
  selected: Set<string>,
  onChange: () => void,
  onToggle: (session: string) => void,
): HTMLElement {
  const all: Array<{ key: string; label: string; kind: string }> = [{ key: "name", label: "Session", kind: "name" }, ...columns];
  const head = el(
    "tr",
    {},
    ...all.map((column) => {
      const arrow = state.sortKey === column.key ? (state.descending ? " ▼" : " ▲") : "";
      const th = el("th", { class: `col-${column.kind}`, title: "Sort", "aria-sort": arrow ? (state.descending ? "descending" : "ascending") : "none" }, column.label + arrow);
      th.addEventListener("click", () => {
        state.descending = state.sortKey === column.key ? !state.descending : false;
        state.sortKey = column.key;
        onChange();
      });
      return th;
    }),
  );
  const filters = el(
    "tr",
    { class: "filters" },
    ...all.map((column) => {
      const input = el("input", { type: "search", placeholder: column.kind === "name" || column.kind === "hparam" ? "filter" : "a..b, >x", value: state.filters[column.key] ?? "", "aria-label": `Filter ${column.label}`, "data-key": column.key });
      input.addEventListener("change", () => {
        state.filters[column.key] = input.value;
        onChange();
      });
      return el("th", {}, input);
    }),
  );
  const rows = visibleSessions(sessions, state).map((session) => {
    const swatch = el("span", { class: "swatch" });
    swatch.style.background = sessionColor(session);
    const row = el(
      "tr",
      { class: selected.has(session.name) ? "selected" : "", "data-session": session.name },
      el("td", { title: `${session.name} (${session.status})` }, el("span", { class: "session-name" }, swatch, session.name)),
      ...columns.map((column) => el("td", { class: column.numeric ? "numeric" : "" }, cellText(session.values[column.key]))),
    );
    row.addEventListener("click", () => onToggle(session.name));
    return row;
  });
  return el("table", { class: "session-table" }, el("thead", {}, head, filters), el("tbody", {}, ...rows));
}
