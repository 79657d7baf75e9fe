// A long menu collapses on a phone: <details data-collapse-below="48em" open> starts closed
// below that width; "Menu" opens it. Without JavaScript it stays open: nothing out of reach.
for (const menu of document.querySelectorAll("details[data-collapse-below]")) {
  if (!window.matchMedia(`(min-width: ${menu.dataset.collapseBelow})`).matches) {
    menu.open = false;
  }
}
