// Lists the security headers this page was served with, by asking for it again.
// No inline script or style anywhere: the page works under the default CSP (default-src 'self').
'use strict';

const SECURITY_HEADERS = [
  'content-security-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
  'permissions-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'x-cache',
];

async function showHeaders() {
  const status = document.getElementById('status');
  const table = document.getElementById('headers');
  try {
    const res = await fetch(window.location.pathname, { cache: 'no-store' });
    await res.arrayBuffer();
    const body = table.querySelector('tbody');
    for (const name of SECURITY_HEADERS) {
      const row = document.createElement('tr');
      const key = document.createElement('td');
      const value = document.createElement('td');
      key.textContent = name;
      value.textContent = res.headers.get(name) ?? '(absent)';
      row.append(key, value);
      body.append(row);
    }
    table.hidden = false;
    status.textContent = `JavaScript ran; the page answered ${res.status}.`;
    status.classList.add('ok');
  } catch (err) {
    status.textContent = `Could not read the headers: ${err.message}`;
    status.classList.add('error');
  }
}

document.addEventListener('DOMContentLoaded', showHeaders);
