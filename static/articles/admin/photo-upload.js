// Batch upload: photos dropped on the zone join the file field; their names are listed.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const zone = document.querySelector("[data-drop-zone]");
  if (!zone) return;
  const input = zone.querySelector("[data-drop-input]");
  const list = zone.querySelector("[data-drop-list]");
  const show = () => {
    list.replaceChildren(
      ...Array.from(input.files, (file) => {
        const item = document.createElement("li");
        item.textContent = `${file.name}（${(file.size / 1048576).toFixed(1)} MB）`;
        return item;
      }),
    );
  };
  for (const name of ["dragenter", "dragover"]) {
    zone.addEventListener(name, (event) => {
      event.preventDefault();
      zone.classList.add("is-over");
    });
  }
  zone.addEventListener("dragleave", () => zone.classList.remove("is-over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("is-over");
    const files = new DataTransfer();
    for (const file of [...input.files, ...event.dataTransfer.files]) files.items.add(file);
    input.files = files.files;
    show();
  });
  input.addEventListener("change", show);
});
