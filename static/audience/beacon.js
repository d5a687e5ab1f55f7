// One read of this story: a same-origin beacon, no cookie (audience/beacon.py).
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.getAttribute("data-url");
  if (!url) {
    return;
  }
  if (navigator.sendBeacon) {
    navigator.sendBeacon(url);
  } else {
    new Image().src = url;
  }
})();
