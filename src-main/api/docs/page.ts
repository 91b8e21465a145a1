/**
 * A small reference page that renders /openapi.json: operations by tag with their parameters, bodies
 * and responses. Plain DOM (textContent only, so nothing in the document is interpreted as HTML) and
 * no third-party code; served with a CSP that allows only this script.
 */
export const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>EMS Commissioner — API reference</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1d2430; background: #f6f7f9; }
  main { max-width: 980px; margin: 0 auto; padding: 24px; }
  h1 { margin: 0 0 4px; } h2 { margin: 32px 0 8px; border-bottom: 1px solid #d5d9e0; }
  .op { background: #fff; border: 1px solid #d5d9e0; border-radius: 6px; margin: 12px 0; padding: 12px 16px; }
  .sig { font: 600 14px ui-monospace, monospace; }
  .m { display: inline-block; min-width: 56px; padding: 1px 6px; margin-right: 8px; border-radius: 4px; color: #fff; text-align: center; }
  .GET { background: #2f7d4f; } .POST { background: #2857a4; } .DELETE { background: #a33a2c; } .PUT, .PATCH { background: #8a5a14; }
  .auth { float: right; font-size: 12px; color: #5b6472; }
  table { border-collapse: collapse; width: 100%; margin: 6px 0; font-size: 13px; }
  th, td { text-align: left; border-top: 1px solid #e6e9ee; padding: 4px 6px; vertical-align: top; }
  pre { background: #f0f2f5; padding: 8px; overflow-x: auto; font-size: 12px; margin: 4px 0; }
  h4 { margin: 10px 0 2px; font-size: 13px; text-transform: uppercase; color: #5b6472; }
  .desc { white-space: pre-wrap; }
</style>
</head>
<body><main id="root"><p>Loading /openapi.json…</p></main><script src="/docs/docs.js"></script></body>
</html>
`;

export const DOCS_JS = `'use strict';
(function () {
  var root = document.getElementById('root');
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function add(parent, child) { parent.appendChild(child); return child; }
  function typeText(s, indent) {
    indent = indent || '';
    if (!s || typeof s !== 'object') return 'any';
    if (s.anyOf) return s.anyOf.map(function (x) { return typeText(x, indent); }).join(' | ');
    if (s.const !== undefined) return JSON.stringify(s.const);
    if (s.enum) return s.enum.map(function (x) { return JSON.stringify(x); }).join(' | ');
    if (s.type === 'array') return typeText(s.items, indent) + '[]';
    if (s.type === 'object' || s.properties || s.patternProperties) {
      var inner = indent + '  ';
      var lines = [];
      var req = s.required || [];
      Object.keys(s.properties || {}).forEach(function (k) {
        lines.push(inner + k + (req.indexOf(k) >= 0 ? '' : '?') + ': ' + typeText(s.properties[k], inner));
      });
      Object.keys(s.patternProperties || {}).forEach(function (k) {
        lines.push(inner + '[' + k + ']: ' + typeText(s.patternProperties[k], inner));
      });
      var extra = s.additionalProperties;
      if (extra && typeof extra === 'object') {
        var any = Object.keys(extra).length === 0;
        var key = (s.description || '').indexOf('uid') >= 0 ? '"<uid>"' : '"<key>"';
        lines.push(inner + (any ? '[key]: any' : key + ': ' + typeText(extra, inner)));
      }
      if (!lines.length) return 'object';
      return '{\\n' + lines.join(',\\n') + '\\n' + indent + '}';
    }
    var t = Array.isArray(s.type) ? s.type.join(' | ') : (s.type || 'any');
    var extra = [];
    if (s.minimum !== undefined) extra.push('≥ ' + s.minimum);
    if (s.maximum !== undefined) extra.push('≤ ' + s.maximum);
    if (s.maxLength !== undefined) extra.push('length ≤ ' + s.maxLength);
    if (s.default !== undefined) extra.push('default ' + JSON.stringify(s.default));
    return t + (extra.length ? ' (' + extra.join(', ') + ')' : '');
  }
  function authText(op, doc) {
    var sec = op.security || doc.security || [];
    if (!sec.length) return 'public';
    return sec.map(function (x) { return Object.keys(x).join(' + '); }).join(' or ');
  }
  function renderOp(container, path, method, op, doc) {
    var box = add(container, el('div', null, 'op'));
    add(box, el('span', authText(op, doc), 'auth'));
    var sig = add(box, el('div', null, 'sig'));
    add(sig, el('span', method.toUpperCase(), 'm ' + method.toUpperCase()));
    add(sig, document.createTextNode(path));
    if (op.summary) add(box, el('div', op.summary));
    if (op.description) add(box, el('p', op.description, 'desc'));
    if (op.parameters && op.parameters.length) {
      add(box, el('h4', 'Parameters'));
      var t = add(box, el('table'));
      var h = add(t, el('tr'));
      ['name', 'in', 'required', 'type', 'description'].forEach(function (c) { add(h, el('th', c)); });
      op.parameters.forEach(function (p) {
        var r = add(t, el('tr'));
        add(r, el('td', p.name)); add(r, el('td', p.in)); add(r, el('td', p.required ? 'yes' : 'no'));
        add(r, el('td', typeText(p.schema))); add(r, el('td', p.description || ''));
      });
    }
    if (op.requestBody && op.requestBody.content) {
      add(box, el('h4', 'Request body'));
      Object.keys(op.requestBody.content).forEach(function (ct) {
        add(box, el('pre', ct + '\\n' + typeText(op.requestBody.content[ct].schema)));
      });
    }
    add(box, el('h4', 'Responses'));
    var rt = add(box, el('table'));
    Object.keys(op.responses || {}).forEach(function (code) {
      var resp = op.responses[code];
      var r = add(rt, el('tr'));
      add(r, el('td', code));
      var d = add(r, el('td'));
      add(d, el('div', resp.description || ''));
      Object.keys(resp.content || {}).forEach(function (ct) {
        add(d, el('pre', ct + '\\n' + typeText(resp.content[ct].schema)));
      });
    });
  }
  function render(doc) {
    root.textContent = '';
    add(root, el('h1', doc.info.title + ' ' + doc.info.version));
    add(root, el('p', doc.info.description, 'desc'));
    var link = add(root, el('a', 'Raw OpenAPI document (/openapi.json)'));
    link.href = '/openapi.json';
    var byTag = {};
    var order = (doc.tags || []).map(function (t) { return t.name; });
    Object.keys(doc.paths).forEach(function (path) {
      Object.keys(doc.paths[path]).forEach(function (method) {
        var op = doc.paths[path][method];
        var tag = (op.tags && op.tags[0]) || 'Other';
        if (order.indexOf(tag) < 0) order.push(tag);
        (byTag[tag] = byTag[tag] || []).push([path, method, op]);
      });
    });
    order.forEach(function (tag) {
      if (!byTag[tag]) return;
      var section = add(root, el('section'));
      section.id = 'tag-' + tag;
      add(section, el('h2', tag));
      byTag[tag].forEach(function (x) { renderOp(section, x[0], x[1], x[2], doc); });
    });
  }
  fetch('/openapi.json').then(function (r) {
    if (!r.ok) throw new Error('HTTP ' + r.status);
    return r.json();
  }).then(render).catch(function (e) {
    root.textContent = 'Cannot load /openapi.json: ' + e.message;
  });
})();
`;
