// Opspor: the little JavaScript the pages need. No inline scripts (CSP).
"use strict";

if ("serviceWorker" in navigator) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
  });
}

// The conference timer: counts down to data-ends-at, and on past it.
for (const timer of document.querySelectorAll("[data-ends-at]")) {
  const ends = Date.parse(timer.dataset.endsAt);
  const tick = () => {
    const left = Math.round((ends - Date.now()) / 1000);
    const abs = Math.abs(left);
    const text = `${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
    timer.textContent = (left < 0 ? "-" : "") + text;
    timer.classList.toggle("conf-timer-over", left < 0);
  };
  tick();
  setInterval(tick, 1000);
}
