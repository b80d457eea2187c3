// A small W3C WebDriver client, enough for the end-to-end test: sessions,
// elements, clicks, keys, text and screenshots. It talks to tauri-driver,
// which hands the session to WebKitWebDriver and the real app.

import { request } from 'node:http';

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

/// One HTTP exchange on a fresh connection: tauri-driver closes idle
/// keep-alive connections, which a pooled client (fetch) trips over.
/// No command waits longer than `timeout` ms for its answer: a driver that
/// hangs fails the test instead of holding CI.
function exchange(url, method, body, timeout = 120_000) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const headers = { 'content-type': 'application/json', connection: 'close', 'content-length': Buffer.byteLength(data ?? '') };
    const req = request(url, { method, agent: false, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.setTimeout(timeout, () => req.destroy(new Error(`no answer in ${timeout / 1000} s`)));
    req.on('error', reject);
    req.end(data);
  });
}
export const Keys = { Enter: '\uE007', Escape: '\uE00C', ArrowDown: '\uE015', Control: '\uE009' };

export class WebDriver {
  constructor(url) {
    this.url = url;
    this.session = null;
  }

  async call(method, path, body, timeout) {
    if (process.env.WEBDRIVER_DEBUG) console.error('webdriver:', method, path, JSON.stringify(body ?? ''));
    const { status, text } = await this.send(method, path, body, timeout);
    if (process.env.WEBDRIVER_DEBUG) console.error('webdriver: ->', status, text.slice(0, 200));
    let json = {};
    try {
      json = JSON.parse(text);
    } catch {}
    if (status < 200 || status >= 300) throw new Error(`WebDriver ${method} ${path}: ${json.value?.message ?? status}`);
    return json.value;
  }

  /// Sends one command. tauri-driver forwards it to WebKitWebDriver over a
  /// pooled connection that WebKitWebDriver may have closed while idle; the
  /// forward then fails before the command reaches the app, and tauri-driver
  /// resets our connection ("socket hang up", ECONNRESET, with "connection
  /// closed before message completed" in its log). Such a command is sent
  /// once more. A repeat cannot pass a check that should fail: a read reads
  /// again, and an act done twice shows as a wrong state.
  async send(method, path, body, timeout) {
    try {
      return await exchange(`${this.url}${path}`, method, body, timeout);
    } catch (error) {
      if (error.code !== 'ECONNRESET') throw new Error(`WebDriver ${method} ${path}: ${error.message}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 100));
      return exchange(`${this.url}${path}`, method, body, timeout).catch((again) => {
        throw new Error(`WebDriver ${method} ${path}: ${again.message} (twice)`, { cause: again });
      });
    }
  }

  s(path) {
    return `/session/${this.session}${path}`;
  }

  async start(capabilities) {
    const value = await this.call('POST', '/session', { capabilities: { alwaysMatch: capabilities } });
    this.session = value.sessionId;
  }

  async quit() {
    // Closing the session closes the app; the harness kills what stays.
    if (this.session) await this.call('DELETE', this.s(''), undefined, 10_000).catch(() => {});
    this.session = null;
  }

  async find(css) {
    const value = await this.call('POST', this.s('/element'), { using: 'css selector', value: css });
    return value[ELEMENT];
  }

  async findAll(css) {
    const value = await this.call('POST', this.s('/elements'), { using: 'css selector', value: css });
    return value.map((v) => v[ELEMENT]);
  }

  async click(css) {
    await this.call('POST', this.s(`/element/${await this.find(css)}/click`), {});
  }

  async type(css, text) {
    await this.call('POST', this.s(`/element/${await this.find(css)}/value`), { text });
  }

  async clear(css) {
    await this.call('POST', this.s(`/element/${await this.find(css)}/clear`), {});
  }

  async text(css) {
    return this.call('GET', this.s(`/element/${await this.find(css)}/text`));
  }

  /// The text content of every element matching `css`, read in the page
  /// in one step (WebKitWebDriver's element text can come back empty for an
  /// element scrolled into view a moment ago).
  async texts(css) {
    return this.execute('return Array.from(document.querySelectorAll(arguments[0])).map((e) => e.textContent);', [css]);
  }

  async execute(script, args = []) {
    return this.call('POST', this.s('/execute/sync'), { script, args });
  }

  /// Runs `script`, which calls its last argument with the result.
  async executeAsync(script, args = []) {
    return this.call('POST', this.s('/execute/async'), { script, args });
  }

  async title() {
    return this.call('GET', this.s('/title'));
  }

  /// Switches to the window whose page title is `title`.
  async switchToTitle(title) {
    for (const handle of await this.call('GET', this.s('/window/handles'))) {
      await this.call('POST', this.s('/window'), { handle });
      if ((await this.title()) === title) return handle;
    }
    throw new Error(`no window titled ${title}`);
  }

  /// Waits until `check()` is truthy; errors inside count as not yet.
  async until(what, check, timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    let last;
    for (;;) {
      try {
        const value = await check();
        if (value) return value;
      } catch (error) {
        last = error;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (${last.message})` : ''}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
