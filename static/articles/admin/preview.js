// The preview page's width buttons: the framed page at phone width (375 px) or full width.
// A link field selects itself when focused, ready to copy. (Inline handlers are barred by
// the admin's CSP.)
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const stage = document.getElementById("preview-stage");
  const buttons = document.querySelectorAll("[data-preview-width]");
  for (const button of buttons) {
    button.addEventListener("click", () => {
      const phone = button.dataset.previewWidth === "phone";
      stage.classList.toggle("is-phone", phone);
      for (const other of buttons) {
        other.setAttribute("aria-pressed", String(other === button));
      }
    });
  }
  for (const field of document.querySelectorAll("[data-select-on-focus]")) {
    field.addEventListener("focus", () => field.select());
  }
});
