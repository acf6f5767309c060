// The customs page: a keyboard-mode scanner submits on Enter; the camera decodes QR codes
// in the browser with the vendored jsQR, so scanning works with a poor connection too.
(function () {
  "use strict";
  var form = document.getElementById("scan-form");
  var field = document.getElementById("payload");
  if (!form || !field) { return; }

  // The lane (customs/lane.js) verifies in the page once loaded; until then, the registry.
  field.addEventListener("keydown", function (event) {
    if (window.laneCheck) { return; }
    if (event.key === "Enter" && !event.shiftKey && field.value.trim()) {
      event.preventDefault();
      form.submit();
    }
  });

  var start = document.getElementById("camera-start");
  var stop = document.getElementById("camera-stop");
  var panel = document.getElementById("camera");
  var video = document.getElementById("camera-video");
  var status = document.getElementById("camera-status");
  // The page gives these sentences in its language; English if an older page does not.
  function said(name, fallback) { return panel.getAttribute("data-" + name) || fallback; }
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.jsQR) { return; }
  start.hidden = false;
  var stream = null;
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });

  function halt() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    stream = null;
    panel.hidden = true;
  }

  function scan() {
    if (!stream) { return; }
    if (video.readyState === video.HAVE_ENOUGH_DATA && video.videoWidth) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      if (code && code.data.indexOf("EUC1:") === 0) {
        status.textContent = said("read", "Code read. Verifying…");
        halt();
        if (window.laneCheck) {
          window.laneCheck(code.data);
        } else {
          field.value = code.data;
          form.submit();
        }
        return;
      }
    }
    window.setTimeout(scan, 150);
  }

  start.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        panel.hidden = false;
        status.textContent = said("looking", "Point the camera at the QR code.");
        return video.play();
      })
      .then(scan)
      .catch(function (error) {
        // the browser's own name for the failure is English: the console keeps it, not the page
        console.warn("camera:", error.name);
        status.textContent = said("denied", "The camera is not available. Upload a photo instead.");
        panel.hidden = false;
      });
  });
  stop.addEventListener("click", halt);
}());
