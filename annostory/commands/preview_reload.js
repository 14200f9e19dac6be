/* annostory preview: reloads this page when a rebuild changed what it shows. Speaks
   livereload's WebSocket protocol (hello, info, reload); a reload names the files the
   rebuild wrote (a JSON list, relative to the site) or "*" for every page. A page
   reloads when its own file is among them, or a file any page may use (a style
   sheet, a script, an image); the pages a change does not touch stay as they are. */
(function () {
  "use strict";
  var base = (window.__annostoryPreview || {}).base || "/";
  var PAGE_ONLY = /\.(html|xml|json|txt)$/;
  function shown() {
    var path = decodeURIComponent(location.pathname);
    path = path.indexOf(base) === 0 ? path.slice(base.length) : path.replace(/^\//, "");
    return path === "" || path.slice(-1) === "/" ? path + "index.html" : path;
  }
  function touches(changed) {
    if (changed === "*") return true;
    var files;
    try { files = JSON.parse(changed); } catch (e) { return true; }
    if (!Array.isArray(files)) return true;
    var mine = shown();
    return files.some(function (file) { return file === mine || !PAGE_ONLY.test(file); });
  }
  function connect() {
    var secure = location.protocol === "https:";
    var port = location.port || (secure ? 443 : 80);
    var socket = new WebSocket((secure ? "wss://" : "ws://") + location.hostname + ":" +
                               port + "/livereload");
    socket.onopen = function () {
      socket.send(JSON.stringify({ command: "hello",
        protocols: ["http://livereload.com/protocols/official-7"] }));
    };
    socket.onmessage = function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      if (message.command === "hello") {
        socket.send(JSON.stringify({ command: "info", url: location.href, plugins: {} }));
        window.__annostoryLive = true;  // (tests wait for it)
      } else if (message.command === "reload" && touches(message.path)) {
        location.reload();
      }
    };
    socket.onclose = function () { setTimeout(connect, 1000); };  // the preview restarted
  }
  connect();
})();
