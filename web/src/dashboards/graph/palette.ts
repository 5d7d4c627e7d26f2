// Canvas colours from the theme's CSS variables (see graph.css), and readable text
// colours on any fill.

export interface Palette {
  background: string;
  frame: string;
  frameStroke: string;
  nodeStroke: string;
  edge: string;
  reference: string;
  text: string;
  muted: string;
  select: string;
  /** The server's fill colours, with the near-white ones mapped to the theme. */
  fill(colour: string): string;
  /** Dark or light text, whichever reads better on `fill`. */
  textOn(fill: string): string;
}

/** Server colours the theme restyles (ops and unique groups), by CSS variable. */
const THEMED: Record<string, string> = { "#ffffff": "--graph-op", "#d9d9d9": "--graph-unique" };

/** A server colour as CSS, following the theme. */
export function cssColour(colour: string): string {
  return THEMED[colour] ? `var(${THEMED[colour]})` : colour;
}

const contrast = new Map<string, boolean>();

function isLight(colour: string): boolean {
  let light = contrast.get(colour);
  if (light === undefined) {
    const hex = colour.replace("#", "");
    const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
    light = 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45;
    contrast.set(colour, light);
  }
  return light;
}

export function readPalette(element: Element): Palette {
  const style = getComputedStyle(element);
  const css = (name: string) => style.getPropertyValue(name).trim();
  const themed = new Map(Object.entries(THEMED).map(([colour, name]) => [colour, css(name)]));
  const [darkText, lightText] = [css("--graph-dark-text"), css("--graph-light-text")];
  return {
    background: css("--graph-bg"),
    frame: css("--graph-frame"),
    frameStroke: css("--graph-frame-stroke"),
    nodeStroke: css("--graph-node-stroke"),
    edge: css("--graph-edge"),
    reference: css("--graph-reference"),
    text: css("--graph-text"),
    muted: css("--graph-muted"),
    select: css("--graph-select"),
    fill: (colour) => themed.get(colour) ?? colour,
    textOn: (fill) => (fill.startsWith("#") && fill.length === 7 && !isLight(fill) ? lightText : darkText),
  };
}
