// Observable Inputs' stylesheet, self-hosted: importing Inputs from node_modules does not bring
// its CSS (the implicit `Inputs` global would, from a CDN). Import this module once per page.
const href = import.meta.resolve("@observablehq/inputs/dist/index.css");
if (!document.querySelector(`link[href="${href}"]`)) {
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = href;
  document.head.append(link);
}
export {};
