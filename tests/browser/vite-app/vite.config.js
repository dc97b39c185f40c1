// Plain object, no import of 'vite': the test copies the app into a temporary folder
// (where `leastdata` is an installed-looking symlink to the repository) and builds it there.
export default {
  // Relative asset URLs, as a Zendesk app needs (its assets are served from a sub-path).
  base: './',
  build: { emptyOutDir: true },
};
