/**
 * The site's icon (three tier bars), inline as a data: URI: every page's <head> and the report file
 * name it, so no browser asks for /favicon.ico (a 404 on a static host) and nothing is fetched.
 */
const SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#3b5fc0"/><rect x="6" y="7" width="20" height="4" rx="1" fill="#fff"/><rect x="6" y="14" width="14" height="4" rx="1" fill="#fff"/><rect x="6" y="21" width="8" height="4" rx="1" fill="#fff"/></svg>`;

// Base64, so that the file holds no "http" (the SVG namespace) for a reader to mistake for a reference.
export const FAVICON_DATA_URI = `data:image/svg+xml;base64,${btoa(SVG)}`;

/** The <link> every page's head carries. */
export const FAVICON_LINK = `<link rel="icon" type="image/svg+xml" href="${FAVICON_DATA_URI}">`;
