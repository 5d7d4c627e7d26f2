// The view state lives in the URL hash, so reloading or sharing a link reopens the same view.

type Listener = (state: URLSearchParams) => void;
const listeners = new Set<Listener>();

export function readState(): URLSearchParams {
  return new URLSearchParams(location.hash.replace(/^#/, ""));
}

/** Sets (or, with null, removes) keys; `replace` avoids a new history entry. */
export function updateState(changes: Record<string, string | string[] | null>, replace = true): void {
  const state = readState();
  for (const [key, value] of Object.entries(changes)) {
    state.delete(key);
    if (value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) state.append(key, item);
  }
  const hash = `#${state}`;
  if (replace) history.replaceState(null, "", hash);
  else history.pushState(null, "", hash);
  listeners.forEach((listener) => listener(state));
}

export function onStateChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Calls `listener` when Back, Forward or a hand-edited hash changes the state (not
 * when the app itself writes it), so a view can show what the URL now says. */
export function onNavigate(listener: Listener): void {
  window.addEventListener("popstate", () => listener(readState()));
}

window.addEventListener("popstate", () => listeners.forEach((listener) => listener(readState())));
