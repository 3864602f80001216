// Types for Observable's Hypertext Literal (the package ships none). `html` escapes every
// interpolated value as text unless it is a Node, which is why pages render data safely with it.
declare module "htl" {
  export function html(strings: TemplateStringsArray, ...values: unknown[]): HTMLElement;
  export function svg(strings: TemplateStringsArray, ...values: unknown[]): SVGElement;
}
