// The Images dashboard: per tag and run, the images of a step chosen with a slider;
// brightness, contrast and actual size apply to every image.

import { getJson } from "../../api";
import { runColor } from "../../colors";
import type { Dashboard, DashboardContext } from "../../dashboard";
import { readState, updateState } from "../../state";
import { checkbox, slider } from "../common/controls";
import { registerDebug } from "../common/debug";
import { el } from "../common/dom";
import { cardHeader, RunTagView, type Card } from "../common/runtagview";
import { StepSlider } from "../common/stepslider";
import { openImage } from "./viewer";

interface ImageEntry {
  wall_time: number;
  step: number;
  query: string;
}

type Listing = Record<string, Record<string, { samples: number }>>;

/** The images tag listing, fetched once per data generation. */
class SampleCounts {
  private key = "";
  private listing: Promise<Listing> | null = null;

  get(context: DashboardContext, run: string, tag: string): Promise<number> {
    const key = JSON.stringify(context.runs().map((r) => r.version));
    if (key !== this.key || !this.listing) {
      this.key = key;
      this.listing = getJson<Listing>("/data/plugin/images/tags");
    }
    return this.listing.then((listing) => Math.max(1, listing[run]?.[tag]?.samples ?? 1));
  }
}

export class ImageCard implements Card {
  readonly element: HTMLElement;
  private readonly frame = el("div", { class: "image-frame" });
  private readonly slider = new StepSlider((index) => this.show(index));
  private samples: ImageEntry[][] = [];
  private steps: number[] = [];

  constructor(
    readonly tag: string,
    readonly run: string,
    private readonly sampleCount: () => Promise<number>,
  ) {
    this.element = el("article", { class: "card image-card", "data-tag": tag, "data-run": run }, cardHeader(tag, run, runColor(run)), this.frame, this.slider.element);
  }

  async load(): Promise<void> {
    const count = await this.sampleCount();
    this.samples = await Promise.all(
      Array.from({ length: count }, (_, sample) => getJson<ImageEntry[]>("/data/plugin/images/images", { run: this.run, tag: this.tag, sample: String(sample) })),
    );
    this.steps = [...new Set(this.samples.flatMap((entries) => entries.map((e) => e.step)))].sort((a, b) => a - b);
    this.slider.setSteps(this.steps);
  }

  get shownStep(): number | undefined {
    return this.steps[this.slider.index];
  }

  private show(index: number): void {
    const step = this.steps[index];
    const images = this.samples
      .map((entries) => entries.find((e) => e.step === step))
      .filter((e): e is ImageEntry => e !== undefined)
      .map((e) => {
        const image = el("img", { src: `/data/plugin/images/individualImage?${e.query}`, alt: `${this.tag} at step ${step}`, loading: "lazy", title: "Open (click)" });
        image.addEventListener("click", () => openImage(this.element.closest<HTMLElement>(".pane") ?? document.body, image, `${this.tag} · ${this.run} · step ${step}`));
        return image;
      });
    this.frame.replaceChildren(...images);
    this.element.dataset.step = String(step ?? "");
  }

  destroy(): void {
    this.element.remove();
  }
}

export const imagesDashboard: Dashboard = {
  id: "images",
  title: "Images",
  plugins: ["images"],
  mount(root: HTMLElement, context: DashboardContext) {
    const state = readState();
    const look = { brightness: Number(state.get("brightness") ?? 1), contrast: Number(state.get("contrast") ?? 1) };
    const apply = () => {
      root.style.setProperty("--image-filter", `brightness(${look.brightness}) contrast(${look.contrast})`);
      updateState({ brightness: look.brightness === 1 ? null : String(look.brightness), contrast: look.contrast === 1 ? null : String(look.contrast) });
    };
    const range = { min: 0, max: 3, step: 0.05 };
    const counts = new SampleCounts();
    const view = new RunTagView(root, context, {
      id: "images",
      plugin: "images",
      noun: "images",
      small: true,
      controls: [
        slider("Brightness", look.brightness, range, (value) => ((look.brightness = value), apply())),
        slider("Contrast", look.contrast, range, (value) => ((look.contrast = value), apply())),
        checkbox("Actual size", state.get("actual") === "1", (actual) => {
          root.classList.toggle("actual-size", actual);
          updateState({ actual: actual ? "1" : null });
        }),
      ],
      createCard: (tag, run) => new ImageCard(tag, run, () => counts.get(context, run, tag)),
    });
    root.classList.toggle("actual-size", state.get("actual") === "1");
    apply();
    registerDebug("images", () =>
      view.cards().map((card) => {
        const c = card as ImageCard;
        return { tag: c.tag, run: c.run, step: c.shownStep, images: c.element.querySelectorAll("img").length };
      }),
    );
  },
};
