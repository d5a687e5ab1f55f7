// Focal point: a click on the photo sets the point every crop keeps (the two number
// fields below it work without JavaScript too).
"use strict";
document.addEventListener("click", (event) => {
  const picker = event.target.closest(".focal-picker");
  if (!picker) return;
  const box = picker.querySelector("img").getBoundingClientRect();
  const x = Math.min(Math.max((event.clientX - box.left) / box.width, 0), 1).toFixed(3);
  const y = Math.min(Math.max((event.clientY - box.top) / box.height, 0), 1).toFixed(3);
  document.getElementById("id_focal_x").value = x;
  document.getElementById("id_focal_y").value = y;
  picker.style.setProperty("--x", x);
  picker.style.setProperty("--y", y);
});
