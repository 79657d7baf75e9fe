/*
 * Starts the Wagtail admin's widgets without inline scripts (Content-Security-Policy).
 *
 * Wagtail writes `<script>initDateChooser("id", {...})</script>` and the like next to some
 * widgets; our templates and cms/admin_csp.py write an inert marker instead:
 *   <template data-werktop-init="initDateChooser" data-werktop-id="id_date"
 *             data-werktop-options="{...}"></template>
 * This script calls the named initialiser (only the ones below) for every marker, as soon as
 * the parser or a script (inline panels, modals) puts it into the page, and removes it.
 */
(function () {
  "use strict";

  var withId = function (name) {
    return function (id, options) { window[name](id, options); };
  };
  var construct = function (name) {
    return function (id, options) { return new window[name](id, options); };
  };
  var panel = function (name) {
    return function (id, options) { return new window[name](options); };
  };
  // Keep in step with cms/admin_csp.py INITIALISERS.
  var INITIALISERS = {
    initDateChooser: withId("initDateChooser"),
    initTimeChooser: withId("initTimeChooser"),
    initDateTimeChooser: withId("initDateTimeChooser"),
    InlinePanel: panel("InlinePanel"),
    MultipleChooserPanel: panel("MultipleChooserPanel"),
    Chooser: construct("Chooser"),
    PageChooser: construct("PageChooser"),
    ImageChooser: construct("ImageChooser"),
    DocumentChooser: construct("DocumentChooser"),
    SnippetChooser: construct("SnippetChooser"),
    createTaskChooser: function (id) { window.createTaskChooser(id); },
  };
  var SELECTOR = "template[data-werktop-init]";

  function start(marker) {
    var name = marker.getAttribute("data-werktop-init");
    var initialise = INITIALISERS[name];
    if (!initialise) {
      marker.remove();
      throw new Error("admin-init: unknown initialiser " + name);
    }
    if (typeof window[name] !== "function") {
      return; // its script has not loaded yet: tried again on DOMContentLoaded and load
    }
    marker.remove();
    var options = JSON.parse(marker.getAttribute("data-werktop-options") || "null");
    initialise(marker.getAttribute("data-werktop-id"), options);
  }

  function startAll(root) {
    if (root.matches && root.matches(SELECTOR)) {
      start(root);
      return;
    }
    if (root.querySelectorAll) {
      Array.prototype.forEach.call(root.querySelectorAll(SELECTOR), function (marker) {
        try {
          start(marker);
        } catch (error) {
          window.console.error(error); // one broken widget must not stop the others
        }
      });
    }
  }

  new MutationObserver(function (mutations) {
    mutations.forEach(function (mutation) {
      Array.prototype.forEach.call(mutation.addedNodes, startAll);
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
  startAll(document);
  document.addEventListener("DOMContentLoaded", function () { startAll(document); });
  window.addEventListener("load", function () { startAll(document); });
})();
