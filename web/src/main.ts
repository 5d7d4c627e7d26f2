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
  <div class="body">
    <aside class="sidebar"></aside>
    <main class="content"></main>
  </div>`;

const tabs = app.querySelector<HTMLElement>(".tabs")!;
const content = app.querySelector<HTMLElement>(".content")!;
const status = app.querySelector<HTMLElement>(".status")!;
let runInfos: RunInfo[] = [];
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

/** A dashboard without plugins (the projector, whose data is not in event files) is always enabled. */
function hasData(dashboard: Dashboard): boolean {
  if (!dashboard.plugins.length) return runInfos.length > 0;
  return runInfos.some((run) => dashboard.plugins.some((plugin) => (run.tags[plugin] ?? []).length > 0));
}

function open(id: string): void {
  const dashboard = dashboards.find((d) => d.id === id);
  if (!dashboard) return;
  updateState({ dash: id }, readState().get("dash") !== id);
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

function renderTabs(): void {
  tabs.replaceChildren(
    ...dashboards.map((dashboard, index) => {
      const button = document.createElement("button");
      button.role = "tab";
      button.dataset.id = dashboard.id;
      button.textContent = dashboard.title;
      button.disabled = !hasData(dashboard) && !dashboard.usableWithoutData;
      button.title = button.disabled ? `No ${dashboard.title.toLowerCase()} data` : `${dashboard.title} (${index + 1})`;
      button.addEventListener("click", () => open(dashboard.id));
      return button;
    }),
  );
}

async function refreshRuns(): Promise<void> {
  const response = await getJson<RunsResponse>("/api/runs");
  known = { generation: response.generation, loading: response.loading, error: response.error };
  runInfos = response.runs;
  status.textContent = response.error ?? (response.loading ? "loading…" : "");
  status.classList.toggle("error", response.error !== null);
  status.title = response.error ?? "";
  assignRunColors(runInfos.map((run) => run.name));
  selector.setRuns(runInfos.map((run) => run.name));
  renderTabs();
  const wanted = readState().get("dash");
  const current =
    dashboards.find((d) => d.id === wanted && (hasData(d) || d.usableWithoutData)) ?? dashboards.find(hasData);
  if (current && !panes.get(current.id)?.isConnected) open(current.id);
  else notify();
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
  if (index >= 0 && index < dashboards.length && hasData(dashboards[index])) open(dashboards[index].id);
});

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
