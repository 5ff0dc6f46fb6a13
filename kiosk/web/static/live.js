// Live updates without a framework: server-sent events, falling back to polling a JSON
// document; without JavaScript the page reloads itself (a <noscript> meta refresh).
// The server renders every fragment: this file only swaps #live and raises the alert.
(function () {
  "use strict";
  var body = document.body;
  var live = document.getElementById("live");
  var eventsUrl = body.getAttribute("data-events");
  var pollUrl = body.getAttribute("data-poll");
  var phase = (document.querySelector("[data-phase]") || body).getAttribute("data-phase");
  var audio = null;
  var polling = null;

  function beep() {
    if (!audio) { return; }
    try {
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.frequency.value = 880;
      gain.gain.value = 0.3;
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + 0.6);
    } catch (e) { /* the phone refused sound: the screen still says it */ }
  }

  function alertCalled() {
    if (navigator.vibrate) { navigator.vibrate([400, 150, 400, 150, 400]); }
    beep();
  }

  function apply(data) {
    if (!data || typeof data.html !== "string" || !live) { return; }
    live.innerHTML = data.html;
    body.setAttribute("data-feed", data.available ? "ok" : "unavailable");
    if (data.phase === "called" && phase !== "called") { alertCalled(); }
    if (data.phase !== undefined) { phase = data.phase; }
  }

  function poll() {
    if (!pollUrl || polling) { return; }
    var run = function () {
      var request = new XMLHttpRequest();
      request.open("GET", pollUrl);
      request.onload = function () {
        if (request.status === 200) {
          try { apply(JSON.parse(request.responseText)); } catch (e) { /* next time */ }
        }
      };
      request.send();
    };
    polling = window.setInterval(run, 5000);
    run();
  }

  function listen() {
    if (!eventsUrl) { return; }
    if (!window.EventSource) { poll(); return; }
    var failures = 0;
    var source = new EventSource(eventsUrl);
    source.onmessage = function (event) {
      failures = 0;
      apply(JSON.parse(event.data));
    };
    source.onerror = function () {
      failures += 1;
      // A weak signal drops the stream now and then (EventSource reconnects by itself);
      // a proxy that never lets it through: poll instead.
      if (failures >= 3) { source.close(); poll(); }
    };
  }

  var button = document.getElementById("alerts");
  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var Context = window.AudioContext || window.webkitAudioContext;
      if (Context && !audio) { audio = new Context(); }
      if (navigator.vibrate) { navigator.vibrate(100); }
      beep();
      button.setAttribute("aria-pressed", "true");
    });
  }
  body.setAttribute("data-js", "live");
  listen();
}());
