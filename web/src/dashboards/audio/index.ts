// The Audio dashboard: per tag and run, the clips of a step chosen with a slider, with their labels.

import { getJson } from "../../api";
import { runColor } from "../../colors";
import type { Dashboard, DashboardContext } from "../../dashboard";
import { registerDebug } from "../common/debug";
import { el } from "../common/dom";
import { cardHeader, RunTagView, type Card } from "../common/runtagview";
import { StepSlider } from "../common/stepslider";

interface AudioStep {
  step: number;
  wall_time: number;
  clips: Array<{ label: string; content_type: string; query: string }>;
}

class AudioCard implements Card {
  readonly element: HTMLElement;
  private readonly clips = el("div", { class: "audio-clips" });
  private readonly slider = new StepSlider((index) => this.show(index));
  private data: AudioStep[] = [];

  constructor(
    readonly tag: string,
    readonly run: string,
  ) {
    this.element = el("article", { class: "card audio-card", "data-tag": tag, "data-run": run }, cardHeader(tag, run, runColor(run)), this.clips, this.slider.element);
  }

  async load(): Promise<void> {
    this.data = await getJson<AudioStep[]>("/api/audio", { run: this.run, tag: this.tag });
    this.slider.setSteps(this.data.map((d) => d.step));
  }

  private show(index: number): void {
    const entry = this.data[index];
    this.element.dataset.step = String(entry?.step ?? "");
    this.clips.replaceChildren(
      ...(entry?.clips ?? []).map((clip) => {
        const label = el("div", { class: "audio-label" });
        label.innerHTML = clip.label; // sanitized by the server
        const player = el("audio", { controls: true, preload: "none", src: `/data/plugin/audio/individualAudio?${clip.query}` });
        return el("div", { class: "audio-clip" }, label, player);
      }),
    );
  }

  destroy(): void {
    this.element.remove();
  }
}

export const audioDashboard: Dashboard = {
  id: "audio",
  title: "Audio",
  plugins: ["audio"],
  mount(root: HTMLElement, context: DashboardContext) {
    const view = new RunTagView(root, context, { id: "audio", plugin: "audio", noun: "audio", small: true, createCard: (tag, run) => new AudioCard(tag, run) });
    registerDebug("audio", () =>
      view.cards().map((card) => {
        const c = card as AudioCard;
        return { tag: c.tag, run: c.run, step: Number(c.element.dataset.step), players: c.element.querySelectorAll("audio").length, labels: [...c.element.querySelectorAll(".audio-label")].map((l) => l.textContent) };
      }),
    );
  },
};
