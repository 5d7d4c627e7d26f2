// Read-only hooks for tests: `window.flowscopeDebug.<dashboard>()` describes what is drawn.

type Describe = () => unknown;

export function registerDebug(name: string, describe: Describe): void {
  const host = window as unknown as { flowscopeDebug?: Record<string, Describe> };
  host.flowscopeDebug ??= {};
  host.flowscopeDebug[name] = describe;
}
