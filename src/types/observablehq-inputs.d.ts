// Observable Inputs ships no types; SQL cells (src/components/sqlCells.ts) pass its inputs through
// and replace its table, so only that much is declared.
declare module "@observablehq/inputs" {
  export function table(data: unknown, options?: Record<string, unknown>): HTMLElement;
  export function select(data: unknown, options?: Record<string, unknown>): HTMLElement;
  export function range(extent?: [number, number], options?: Record<string, unknown>): HTMLElement;
  export function text(options?: Record<string, unknown>): HTMLElement;
}
