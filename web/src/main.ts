// The app shell: dashboards as tabs (enabled when they have data), the run selector,
// the theme, keyboard shortcuts, and live updates from the server's event stream.

import "./styles.css";
import { getJson, type RunInfo, type RunsResponse } from "./api";
import type { Dashboard, DashboardContext } from "./dashboard";
import { assignRunColors } from "./colors";
import { dashboards } from "./dashboards";
import { RunSelector } from "./runselector";
import { readState, updateState } from "./state";

const app = document.getElementById("app")!;
app.innerHTML = `
  <header class="topbar">
    <span class="brand">flowscope</span>
    <nav class="tabs" role="tablist"></nav>
    <span class="status" aria-live="polite"></span>
    <button class="theme-toggle" title="Light or dark theme (t)" aria-label="Toggle theme">◐</button>
  </header>
  <div class="app-notice" role="alert" hidden></div>
  <div class="body">
    <aside class="sidebar"></aside>
    <main class="content"></main>
  </div>`;

const tabs = app.querySelector<HTMLElement>(".tabs")!;
const content = app.querySelector<HTMLElement>(".content")!;
const status = app.querySelector<HTMLElement>(".status")!;
const noticeBox = app.querySelector<HTMLElement>(".app-notice")!;
let runInfos: RunInfo[] = [];
let logdirPlugins = new Set<string>();
/** What the last `/api/runs` answer described: an event about that state needs no refetch. */
let known: Pick<RunsResponse, "generation" | "loading" | "error"> = { generation: -1, loading: true, error: null };
const listeners: Array<() => void> = [];
const notify = () => listeners.forEach((listener) => listener());
const selector = new RunSelector(app.querySelector(".sidebar")!, notify);
const context: DashboardContext = {
  selectedRuns: () => selector.selected(),
  runs: () => runInfos,
  onChange: (listener) => listeners.push(listener),
};
const panes = new Map<string, HTMLElement>();

function hasData(dashboard: Dashboard): boolean {
  if (dashboard.plugins.some((plugin) => logdirPlugins.has(plugin))) return true;
  return runInfos.some((run) => dashboard.plugins.some((plugin) => (run.tags[plugin] ?? []).length > 0));
}

/** How opening a tab changes the history: a new entry (a click or a key), the same
 * entry (the first tab shown), or none (the URL already names it: Back, Forward, a hand edit). */
type HistoryChange = "push" | "replace" | "none";

function enabled(dashboard: Dashboard): boolean {
  return hasData(dashboard) || !!dashboard.usableWithoutData;
}

function open(id: string, change: HistoryChange = "push"): void {
  const dashboard = dashboards.find((d) => d.id === id);
  if (!dashboard) return;
  if (change !== "none" && readState().get("dash") !== id) updateState({ dash: id }, change === "replace");
  for (const button of tabs.querySelectorAll<HTMLButtonElement>("button")) {
    button.setAttribute("aria-selected", String(button.dataset.id === id));
  }
  for (const [paneId, pane] of panes) pane.hidden = paneId !== id;
  let pane = panes.get(id);
  if (!pane) {
    pane = document.createElement("section");
    pane.className = "pane";
    pane.dataset.dashboard = id;
    content.append(pane);
    panes.set(id, pane);
    dashboard.mount(pane, context);
  } else {
    dashboard.show?.();
  }
}

/** A line under the tabs: why the tab the URL named is not shown, or why there is no data. */
function showNotice(text: string, kind: "tab" | "data"): void {
  noticeBox.textContent = text;
  noticeBox.dataset.kind = kind;
  noticeBox.hidden = !text;
}

function shownDashboard(): string | undefined {
  return [...panes].find(([, pane]) => !pane.hidden)?.[0];
}

/** Shows the tab the URL names or, when it names none that can be shown, the first with
 * data, saying why (once the first load is done: a tab may get data until then). */
function openFromUrl(change: HistoryChange): void {
  const wanted = readState().get("dash");
  const named = dashboards.find((d) => d.id === wanted);
  const current = named && enabled(named) ? named : dashboards.find(hasData);
  if (!current) return;
  const fallback = current !== named;
  if (wanted && fallback && (!named || !known.loading)) {
    showNotice(`${named ? `${named.title} has no data here` : `There is no dashboard "${wanted}"`}: showing ${current.title}.`, "tab");
  }
  const how: HistoryChange = !fallback ? change : known.loading ? "none" : "replace";
  if (shownDashboard() !== current.id) open(current.id, how);
  else if (how === "replace") updateState({ dash: current.id });
}

/** Without data, says why (as TensorBoard does): what the server found wrong with the logdir. */
function explainMissingData(response: RunsResponse): void {
  const empty = !response.loading && !dashboards.some(hasData);
  if (empty) {
    const why = response.problems.length ? response.problems.join("; ") : `the event files in ${response.logdir} hold no summaries`;
    showNotice(`No data to show: ${why}. Point --logdir at the directory your training writes its event files to.`, "data");
  } else if (noticeBox.dataset.kind === "data") {
    showNotice("", "data");
  }
}

/** A tab the user picked: a new history entry, and the tab notice has served. */
function choose(id: string): void {
  if (noticeBox.dataset.kind === "tab") showNotice("", "tab");
  open(id);
}

function renderTabs(): void {
  const shown = shownDashboard();
  tabs.replaceChildren(
    ...dashboards.map((dashboard, index) => {
      const button = document.createElement("button");
      button.role = "tab";
      button.dataset.id = dashboard.id;
      button.textContent = dashboard.title;
      button.disabled = !enabled(dashboard);
      button.setAttribute("aria-selected", String(dashboard.id === shown));
      button.title = button.disabled ? `No ${dashboard.title.toLowerCase()} data` : `${dashboard.title} (${index + 1})`;
      button.addEventListener("click", () => choose(dashboard.id));
      return button;
    }),
  );
}

async function refreshRuns(): Promise<void> {
  const response = await getJson<RunsResponse>("/api/runs");
  known = { generation: response.generation, loading: response.loading, error: response.error };
  runInfos = response.runs;
  logdirPlugins = new Set(response.logdir_plugins);
  status.textContent = response.error ?? (response.loading ? "loading…" : "");
  explainMissingData(response);
  status.classList.toggle("error", response.error !== null);
  status.title = response.error ?? "";
  assignRunColors(runInfos.map((run) => run.name));
  selector.setRuns(runInfos.map((run) => run.name));
  renderTabs();
  const before = shownDashboard();
  openFromUrl("replace");
  if (shownDashboard() === before) notify();
}

function applyTheme(theme: string): void {
  document.documentElement.dataset.theme = theme;
  localStorage.setItem("flowscope-theme", theme);
}

applyTheme(localStorage.getItem("flowscope-theme") ?? (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light"));
app.querySelector(".theme-toggle")!.addEventListener("click", () =>
  applyTheme(document.documentElement.dataset.theme === "dark" ? "light" : "dark"),
);
document.addEventListener("keydown", (event) => {
  const target = event.target as HTMLElement;
  if (event.ctrlKey || event.metaKey || event.altKey || target.closest("input, textarea, select")) return;
  if (event.key === "t") applyTheme(document.documentElement.dataset.theme === "dark" ? "light" : "dark");
  const index = Number(event.key) - 1;
  if (index >= 0 && index < dashboards.length && enabled(dashboards[index])) choose(dashboards[index].id);
});
// Back, Forward and a hand-edited hash: show the tab the URL now names.
window.addEventListener("popstate", () => openFromUrl("none"));

// Refreshes run one after another; the first event on a connection repeats the state
// the page just fetched, and is skipped then.
const refresh = () => refreshRuns().catch((error: Error) => void (status.textContent = `Cannot reach the server: ${error.message}`));
let refreshing = refresh();
const events = new EventSource("/api/events");
events.addEventListener("change", (event) => {
  const notice = JSON.parse((event as MessageEvent<string>).data) as typeof known;
  const stale = () => notice.generation !== known.generation || notice.loading !== known.loading || notice.error !== known.error;
  refreshing = refreshing.then(() => (stale() ? refresh() : undefined));
});
