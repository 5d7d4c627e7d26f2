// What every dashboard provides to the app shell.

import type { RunInfo } from "./api";

export interface DashboardContext {
  /** Runs chosen in the run selector, in display order. */
  selectedRuns(): string[];
  /** Every run the server knows, with its tags per plugin. */
  runs(): RunInfo[];
  /** Called by the shell when the run selection or the data changed. */
  onChange(listener: () => void): void;
}

export interface Dashboard {
  id: string;
  title: string;
  /** Plugins whose data enables the tab (any of them): in a run's tags, or in the logdir. */
  plugins: string[];
  /** Usable without data too (the graph dashboard views uploaded files). */
  usableWithoutData?: boolean;
  /** Renders into `root`; called once, when the tab is first opened. */
  mount(root: HTMLElement, context: DashboardContext): void;
  /** Called again whenever the tab is re-opened. */
  show?(): void;
}
