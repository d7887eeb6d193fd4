// Stormdesk web bridge: stands in for the Wails runtime when the frontend runs in
// a plain browser. Served by backend/webbridge, loaded before the app bundle.
(function () {
  'use strict';
  var METHODS = /*METHODS*/[];
  var script = document.currentScript;
  var since = script ? new URL(script.src, location.href).searchParams.get('since') || '0' : '0';
  // This page load's id: sent with every call (X-Stormdesk-Page) and on the event
  // stream, so the events only the asking page needs (draft text as it streams, an
  // import's progress) come to this page and not to every page of the server.
  var page = (function () {
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) {
      return (x < 16 ? '0' : '') + x.toString(16);
    }).join('');
  })();

  function call(service, method, args) {
    return fetch('/bridge/call/' + encodeURIComponent(service) + '/' + encodeURIComponent(method), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Stormdesk-Page': page },
      body: JSON.stringify(args),
    }).then(
      function (res) {
        return res.text().then(function (text) {
          var body = null;
          try {
            body = text === '' ? null : JSON.parse(text);
          } catch (e) {
            throw new Error('bridge: ' + service + '.' + method + ': HTTP ' + res.status + ', not JSON');
          }
          if (!res.ok) {
            // Wails rejects with the Go error text, a plain string; keep that shape.
            throw body && typeof body.error === 'string' ? body.error : 'HTTP ' + res.status;
          }
          return body ? body.result : undefined;
        });
      },
      function (err) {
        throw new Error('bridge unreachable: ' + service + '.' + method + ': ' + (err && err.message ? err.message : err));
      },
    );
  }

  var go = (window.go = window.go || {});
  METHODS.forEach(function (full) {
    var parts = full.split('.');
    var pkg = parts[0], service = parts[1], method = parts[2];
    go[pkg] = go[pkg] || {};
    go[pkg][service] = go[pkg][service] || {};
    go[pkg][service][method] = function () {
      return call(service, method, Array.prototype.slice.call(arguments));
    };
  });

  // Events: listeners by name, fed by one EventSource that resumes where the page was served.
  var listeners = {};

  function notify(name, data) {
    var list = listeners[name];
    if (!list) return;
    list.slice().forEach(function (l) {
      if (l.max === 0) return;
      if (l.max > 0) l.max--;
      if (l.max === 0) off(name, l);
      try {
        l.cb.apply(null, data);
      } catch (e) {
        console.error('event listener for ' + name + ' failed', e);
      }
    });
  }

  function off(name, l) {
    var list = listeners[name];
    if (!list) return;
    var i = list.indexOf(l);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) delete listeners[name];
  }

  var source = new EventSource('/bridge/events?since=' + encodeURIComponent(since) + '&page=' + page);
  source.onmessage = function (m) {
    var ev;
    try {
      ev = JSON.parse(m.data);
    } catch (e) {
      console.error('bridge: bad event', m.data);
      return;
    }
    notify(ev.name, Array.isArray(ev.data) ? ev.data : []);
  };
  window.__stormdeskBridge = { source: source, methods: METHODS, page: page };

  function log(level) {
    return function (message) {
      (console[level] || console.log).call(console, message);
    };
  }

  window.runtime = {
    EventsOnMultiple: function (name, cb, max) {
      var l = { cb: cb, max: max === undefined ? -1 : max };
      (listeners[name] = listeners[name] || []).push(l);
      return function () {
        off(name, l);
      };
    },
    EventsOn: function (name, cb) {
      return window.runtime.EventsOnMultiple(name, cb, -1);
    },
    EventsOnce: function (name, cb) {
      return window.runtime.EventsOnMultiple(name, cb, 1);
    },
    EventsOff: function (name) {
      for (var i = 0; i < arguments.length; i++) delete listeners[arguments[i]];
    },
    EventsOffAll: function () {
      listeners = {};
    },
    // Events emitted by the page reach the page's own listeners; the Go side does not listen.
    EventsEmit: function (name) {
      notify(name, Array.prototype.slice.call(arguments, 1));
    },
    LogPrint: log('log'),
    LogTrace: log('debug'),
    LogDebug: log('debug'),
    LogInfo: log('info'),
    LogWarning: log('warn'),
    LogError: log('error'),
    LogFatal: log('error'),
    WindowReload: function () {
      location.reload();
    },
    WindowReloadApp: function () {
      location.reload();
    },
    BrowserOpenURL: function (url) {
      window.open(url, '_blank', 'noopener');
    },
    Environment: function () {
      return Promise.resolve({ buildType: 'web', platform: 'web', arch: '' });
    },
    Quit: function () {},
  };
})();
