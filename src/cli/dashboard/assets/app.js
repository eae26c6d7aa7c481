// Keeps the live part of a page current: the element with data-live names a
// server-sent event stream whose every message is that element's new HTML,
// drawn by the server. Details a reader opened stay open across redraws.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const live = document.querySelector("[data-live]");
  if (!live || !window.EventSource) {
    return;
  }
  const status = document.createElement("p");
  status.className = "feed";
  status.setAttribute("role", "status");
  live.before(status);
  const say = (text, bad) => {
    status.textContent = text;
    status.classList.toggle("bad", bad);
  };
  say("connecting…", false);
  const feed = new EventSource(live.dataset.live);
  feed.addEventListener("open", () => say("● live", false));
  feed.addEventListener("error", () => say("✖ disconnected: retrying…", true));
  feed.addEventListener("gone", (event) => {
    say("✖ " + event.data, true);
    feed.close();
  });
  feed.addEventListener("update", (event) => {
    const open = new Set(
      Array.from(live.querySelectorAll("details[open][id]"), (d) => d.id),
    );
    live.innerHTML = event.data;
    for (const id of open) {
      const details = document.getElementById(id);
      if (details) {
        details.open = true;
      }
    }
    live.dataset.updates = String(Number(live.dataset.updates || "0") + 1);
  });
});
