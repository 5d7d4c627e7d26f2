// Sessions of the HParams plugin: the experiment's hparams and metrics, and each session
// group's hparam values and final metric values.

import { runColor } from "../../colors";

export interface Column {
  key: string;
  label: string;
  kind: "hparam" | "metric";
  numeric: boolean;
  /** For metrics: where the metric's scalars live relative to the session's run. */
  group?: string;
  tag?: string;
}

export interface Session {
  /** The run of a one-session group (TF2 names groups by a hash), else the group's name. */
  name: string;
  /** The runs of the group's sessions. */
  runs: string[];
  status: string;
  values: Record<string, string | number | boolean | null>;
}

interface Experiment {
  hparamInfos?: Array<{ name: string; displayName?: string; type?: string }>;
  metricInfos?: Array<{ name: { group?: string; tag: string }; displayName?: string }>;
}

interface SessionGroups {
  sessionGroups?: Array<{
    name: string;
    hparams?: Record<string, string | number | boolean>;
    metricValues?: Array<{ name: { group?: string; tag: string }; value: number | string }>;
    sessions?: Array<{ name: string; status?: string }>;
  }>;
}

async function post<T>(path: string, body: object): Promise<T> {
  const response = await fetch(path, { method: "POST", body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return (await response.json()) as T;
}

const metricKey = (name: { group?: string; tag: string }) => (name.group ? `${name.group}/${name.tag}` : name.tag);

export async function fetchSessions(): Promise<{ columns: Column[]; sessions: Session[] }> {
  const [experiment, groups] = await Promise.all([
    post<Experiment>("/data/plugin/hparams/experiment", {}),
    post<SessionGroups>("/data/plugin/hparams/session_groups", { startIndex: 0, sliceSize: 0, allowedStatuses: [] }),
  ]);
  const columns: Column[] = [
    ...(experiment.hparamInfos ?? []).map((h): Column => ({ key: `h:${h.name}`, label: h.displayName || h.name, kind: "hparam", numeric: h.type !== "DATA_TYPE_STRING" && h.type !== "DATA_TYPE_BOOL" })),
    ...(experiment.metricInfos ?? []).map((m): Column => ({ key: `m:${metricKey(m.name)}`, label: m.displayName || metricKey(m.name), kind: "metric", numeric: true, group: m.name.group ?? "", tag: m.name.tag })),
  ];
  const sessions = (groups.sessionGroups ?? []).map((group): Session => {
    const values: Session["values"] = {};
    for (const [name, value] of Object.entries(group.hparams ?? {})) values[`h:${name}`] = value;
    for (const metric of group.metricValues ?? []) {
      const value = Number(metric.value);
      values[`m:${metricKey(metric.name)}`] = Number.isFinite(value) ? value : null;
    }
    const runs = (group.sessions ?? []).map((session) => session.name);
    return { name: runs.length === 1 ? runs[0] : group.name, runs, status: (group.sessions?.[0]?.status ?? "").replace("STATUS_", "").toLowerCase(), values };
  });
  for (const column of columns) {
    if (column.kind === "hparam" && sessions.some((s) => typeof s.values[column.key] === "string" || typeof s.values[column.key] === "boolean")) column.numeric = false;
  }
  return { columns, sessions };
}

/** A session's colour: that of its (first) run, as everywhere else in the app. */
export const sessionColor = (session: Session): string => runColor(session.runs[0] ?? session.name);

/** Whether `value` passes a column filter: "a..b" (range), ">x", "<x", or a case-insensitive regex. */
export function passes(value: Session["values"][string], filter: string): boolean {
  const text = filter.trim();
  if (!text) return true;
  const number = typeof value === "number" ? value : Number.NaN;
  const range = /^(-?[\d.eE+-]*)\s*\.\.\s*(-?[\d.eE+-]*)$/.exec(text);
  if (range) return (range[1] === "" || number >= Number(range[1])) && (range[2] === "" || number <= Number(range[2]));
  const compare = /^([<>]=?)\s*(-?[\d.eE+-]+)$/.exec(text);
  if (compare) {
    const limit = Number(compare[2]);
    return { "<": number < limit, "<=": number <= limit, ">": number > limit, ">=": number >= limit }[compare[1]] ?? true;
  }
  try {
    return new RegExp(text, "i").test(String(value ?? ""));
  } catch {
    return String(value ?? "").toLowerCase().includes(text.toLowerCase());
  }
}
