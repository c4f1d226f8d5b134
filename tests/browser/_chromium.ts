// A small driver for the system's headless Chromium over the DevTools protocol
// (CDP), with nothing downloaded: the browser is Debian's `chromium` package,
// the protocol is a WebSocket Deno speaks natively. Clicks and typing are real
// input events, as a person's would be.
//
// (playwright-core, the usual driver, probes /proc/sys at import time, which
// Deno only allows under --allow-all; this needs --allow-run for the browser
// alone.)

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM = "/usr/bin/chromium";

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  // Without these, Chromium's own connections are refused here and it stalls.
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--remote-debugging-port=0",
];
const TIMEOUT_MS = 15_000;
// Where the fresh profile goes: the one directory the browser tasks may write.
const PROFILE_PARENT = "/tmp";

/** A running Chromium with a fresh profile, gone with its profile when disposed. */
export interface Browser extends AsyncDisposable {
  /** Open a new tab. */
  newPage(): Promise<Page>;
}

/** Start headless Chromium with a fresh profile in a temporary directory. */
export async function launchChromium(): Promise<Browser> {
  const profile = await Deno.makeTempDir({ dir: PROFILE_PARENT, prefix: "chromium-profile-" });
  const child = new Deno.Command(CHROMIUM, {
    args: [...FLAGS, `--user-data-dir=${profile}`, "about:blank"],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  // Drained as it comes, so a chatty browser never blocks on a full pipe; the
  // tail explains a failed start.
  let log = "";
  const drained = child.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({ write: (text) => void (log = (log + text).slice(-4000)) }),
  );
  const pages: Page[] = [];
  async function close(): Promise<void> {
    await Promise.allSettled(pages.map((page) => page.close()));
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    await child.status;
    await drained;
    await removeProfile(profile);
  }
  let port: string;
  try {
    port = await poll(async () => {
      const text = await Deno.readTextFile(`${profile}/DevToolsActivePort`).catch(() => "");
      return text.split("\n")[0] || undefined;
    }, "Chromium to open its DevTools port");
  } catch (error) {
    await close();
    throw new Error(`${(error as Error).message}\n${log}`);
  }
  return {
    async newPage() {
      const response = await fetch(`http://127.0.0.1:${port}/json/new?about:blank`, {
        method: "PUT",
      });
      const { webSocketDebuggerUrl } = await response.json();
      const page = await Page.connect(webSocketDebuggerUrl);
      pages.push(page);
      return page;
    },
    [Symbol.asyncDispose]: close,
  };
}

/** A console message or an uncaught exception in the page. */
export interface LogEntry {
  /** Where it came from: `security` for a CSP violation, `exception`, `console`, ... */
  source: string;
  /** What it says. */
  text: string;
}

/** One tab, driven over its own DevTools WebSocket. */
export class Page {
  /** Messages of every alert, confirm or prompt the page opened (each dismissed). */
  readonly dialogs: string[] = [];
  /** Console errors, CSP violations and uncaught exceptions, in order. */
  readonly log: LogEntry[] = [];
  readonly #socket: WebSocket;
  readonly #closed: Promise<void>;
  readonly #pending = new Map<number, PromiseWithResolvers<Record<string, unknown>>>();
  readonly #listeners = new Map<string, ((params: Record<string, unknown>) => void)[]>();
  #id = 0;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    this.#closed = new Promise((resolve) => socket.addEventListener("close", () => resolve()));
    socket.addEventListener("message", (event) => this.#receive(JSON.parse(event.data)));
  }

  /** Connect to a tab's DevTools WebSocket and start listening to it. */
  static async connect(url: string): Promise<Page> {
    const socket = new WebSocket(url);
    await new Promise((resolve, reject) => {
      socket.addEventListener("open", resolve, { once: true });
      socket.addEventListener("error", () => reject(new Error(`Cannot connect to ${url}`)));
    });
    const page = new Page(socket);
    page.#on("Page.javascriptDialogOpening", (params) => {
      page.dialogs.push(String(params.message));
      page.send("Page.handleJavaScriptDialog", { accept: false });
    });
    page.#on("Log.entryAdded", ({ entry }) => {
      const { source, level, text } = entry as Record<string, string>;
      if (level === "error") page.log.push({ source, text });
    });
    page.#on("Runtime.exceptionThrown", ({ exceptionDetails }) => {
      const details = exceptionDetails as { text: string; exception?: { description?: string } };
      page.log.push({ source: "exception", text: details.exception?.description ?? details.text });
    });
    await Promise.all(["Page.enable", "Log.enable", "Runtime.enable"].map((m) => page.send(m)));
    await page.send("Emulation.setDeviceMetricsOverride", {
      width: 1000,
      height: 700,
      deviceScaleFactor: 1,
      mobile: false,
    });
    return page;
  }

  /** Call a DevTools method and return its result. */
  send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = ++this.#id;
    const reply = Promise.withResolvers<Record<string, unknown>>();
    this.#pending.set(id, reply);
    this.#socket.send(JSON.stringify({ id, method, params }));
    return withTimeout(reply.promise, `${method} to answer`);
  }

  /** Open a URL and wait until it has loaded. */
  async goto(url: string): Promise<void> {
    const loaded = this.#next("Page.loadEventFired");
    const { errorText } = await this.send("Page.navigate", { url });
    if (errorText) throw new Error(`Cannot open ${url}: ${errorText}`);
    await withTimeout(loaded, `${url} to load`);
  }

  /** Evaluate a JavaScript expression in the page and return its value. */
  async evaluate<T>(expression: string): Promise<T> {
    const { result, exceptionDetails } = await this.send("Runtime.evaluate", {
      expression,
      returnByValue: true,
      awaitPromise: true,
    }) as { result: { value: T }; exceptionDetails?: { text: string } };
    if (exceptionDetails) throw new Error(`${expression}: ${exceptionDetails.text}`);
    return result.value;
  }

  /** Wait until a JavaScript expression is true in the page, across navigations. */
  async waitFor(expression: string): Promise<void> {
    await poll(async () => {
      // A page being replaced has no context to evaluate in: try again.
      const value = await this.evaluate<boolean>(expression).catch(() => false);
      return value || undefined;
    }, expression);
  }

  /** The text of the first element a CSS selector matches. */
  text(selector: string): Promise<string> {
    return this.evaluate(`document.querySelector(${JSON.stringify(selector)}).textContent`);
  }

  /** Click the middle of the first element a CSS selector matches, as a mouse does. */
  async click(selector: string): Promise<void> {
    const { x, y } = await this.evaluate<{ x: number; y: number }>(`(() => {
      const element = document.querySelector(${JSON.stringify(selector)});
      element.scrollIntoView({ block: "center" });
      const box = element.getBoundingClientRect();
      return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    })()`);
    const mouse = { x, y, button: "left", clickCount: 1 };
    await this.send("Input.dispatchMouseEvent", { type: "mouseMoved", x, y });
    await this.send("Input.dispatchMouseEvent", { type: "mousePressed", ...mouse });
    await this.send("Input.dispatchMouseEvent", { type: "mouseReleased", ...mouse });
  }

  /** Click into a field and type text into it, as a keyboard does. */
  async type(selector: string, text: string): Promise<void> {
    await this.click(selector);
    await this.send("Input.insertText", { text });
  }

  /** Choose an option of a `<select>` by its value, and tell the page it changed. */
  async select(selector: string, value: string): Promise<void> {
    await this.evaluate(`(() => {
      const select = document.querySelector(${JSON.stringify(selector)});
      select.value = ${JSON.stringify(value)};
      select.dispatchEvent(new Event("input", { bubbles: true }));
      select.dispatchEvent(new Event("change", { bubbles: true }));
    })()`);
  }

  /** A PNG of the whole page, 1000 CSS pixels wide. */
  async screenshot(): Promise<Uint8Array> {
    const height = await this.evaluate<number>("document.documentElement.scrollHeight");
    await this.send("Emulation.setDeviceMetricsOverride", {
      width: 1000,
      height: Math.min(Math.ceil(height), 4000),
      deviceScaleFactor: 1,
      mobile: false,
    });
    const { data } = await this.send("Page.captureScreenshot", { format: "png" });
    return Uint8Array.from(atob(data as string), (c) => c.charCodeAt(0));
  }

  /** Close the tab's connection. */
  async close(): Promise<void> {
    if (this.#socket.readyState !== WebSocket.CLOSED) this.#socket.close();
    await this.#closed;
  }

  #receive(message: Record<string, unknown>): void {
    if (typeof message.id === "number") {
      const reply = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      const error = message.error as { message: string } | undefined;
      if (error) reply?.reject(new Error(error.message));
      else reply?.resolve(message.result as Record<string, unknown>);
      return;
    }
    const params = message.params as Record<string, unknown>;
    for (const listener of this.#listeners.get(message.method as string) ?? []) listener(params);
  }

  #on(method: string, listener: (params: Record<string, unknown>) => void): void {
    this.#listeners.set(method, [...this.#listeners.get(method) ?? [], listener]);
  }

  #next(method: string): Promise<Record<string, unknown>> {
    return new Promise((resolve) => {
      const once = (params: Record<string, unknown>) => {
        this.#listeners.set(method, this.#listeners.get(method)!.filter((l) => l !== once));
        resolve(params);
      };
      this.#on(method, once);
    });
  }
}

async function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out waiting for ${what}`)), TIMEOUT_MS);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// Bounded: every 50 ms until TIMEOUT_MS has passed.
async function poll<T>(attempt: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + TIMEOUT_MS;
  while (Date.now() < deadline) {
    const value = await attempt();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

// The browser's helpers may still be writing as they exit, so try a few times.
async function removeProfile(profile: string): Promise<void> {
  for (let attempt = 1;; attempt++) {
    try {
      return await Deno.remove(profile, { recursive: true });
    } catch (error) {
      if (attempt === 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
