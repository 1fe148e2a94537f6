// Progressive enhancement only: every page works without this file.
import { initAll } from "./govuk-frontend.min.js";

initAll();

// After htmx replaces part of a page: start the GOV.UK components in the new content, and read
// out its summary (an element marked data-announce, such as "12 tenders") in the live region.
document.addEventListener("htmx:afterSettle", (event) => {
  const content = event.detail.elt;
  if (!(content instanceof Element)) return;
  initAll({ scope: content });
  const summary = content.querySelector("[data-announce]");
  const status = document.getElementById("app-live-status");
  if (summary && status) status.textContent = summary.textContent.trim();
});
