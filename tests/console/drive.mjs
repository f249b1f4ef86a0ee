// Drives the operator console in headless Chromium (Debian's build, through playwright-core
// from clients/console/node_modules) for tests/console.rs. One JSON command per stdin line,
// one JSON answer per stdout line: {"ok":true,"value":…} or {"ok":false,"error":"…"}.
// Every command that changes the page leaves a screenshot in $CONSOLE_ARTIFACTS.
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const require = createRequire(new URL('../../clients/console/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const base = process.env.CONSOLE_BASE;
const artifacts = process.env.CONSOLE_ARTIFACTS;
const executablePath = process.env.CHROMIUM ?? '/usr/lib/chromium/chromium';
const profile = mkdtempSync(join(tmpdir(), 'cpconsole-'));
const WAIT = 15_000;

const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  acceptDownloads: true,
  viewport: { width: 1280, height: 900 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = context.pages()[0] ?? (await context.newPage());
const consoleErrors = [];
page.on('console', (m) => {
  if (m.type() === 'error') consoleErrors.push(m.text());
});
page.on('pageerror', (e) => consoleErrors.push(String(e)));
page.on('dialog', (d) => void d.accept());

async function shot(name) {
  if (artifacts) {
    await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
  }
}

async function go(path) {
  await page.evaluate((p) => {
    location.hash = `#/${p}`;
  }, path);
  await page.locator('main h1').first().waitFor({ timeout: WAIT });
}

/** Text of the first table row containing `text` (waits for it). */
async function row(text) {
  const r = page.locator('tbody tr', { hasText: text }).first();
  await r.waitFor({ timeout: WAIT });
  return r;
}

const commands = {
  async open() {
    await page.goto(`${base}/console`);
    await page.locator('#token').waitFor({ timeout: WAIT });
    await shot('00-sign-in');
    return page.title();
  },
  async signIn({ token }) {
    await page.fill('#token', token);
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/status'), { timeout: WAIT }),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    const outcome = await Promise.race([
      page.locator('main h1', { hasText: 'Dashboard' }).waitFor({ timeout: WAIT }).then(() => 'signed-in'),
      page.locator('[role=alert]').first().waitFor({ timeout: WAIT }).then(() => 'refused'),
    ]);
    if (outcome === 'refused') {
      const text = await page.locator('[role=alert]').first().innerText();
      await shot('01-sign-in-refused');
      return { refused: text };
    }
    await page.locator('.live.live').waitFor({ timeout: WAIT });
    await shot('02-dashboard');
    return { signedIn: true, inSessionStorage: await page.evaluate(() => sessionStorage.getItem('callplane.token') !== null), url: page.url() };
  },
  async goto({ path, name }) {
    await go(path);
    await page.waitForLoadState('networkidle');
    await shot(name ?? path);
    return page.locator('main h1').first().innerText();
  },
  /** New extension through the form: the field error it shows, or the row it adds. */
  async createExtension({ number, password, ipAuth, shotName }) {
    if (!(await page.locator('#new-extension-number').isVisible())) {
      await go('extensions');
      await page.getByRole('button', { name: 'New extension' }).click();
    }
    await page.fill('#new-extension-number', number);
    await page.fill('#new-extension-password', password);
    if (ipAuth) await page.fill('#new-extension-ip_auth', ipAuth);
    // The answer to the POST, then the form done with it: whatever shows now is its result.
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/extensions') && r.request().method() === 'POST', { timeout: WAIT }),
      page.getByRole('button', { name: 'Create extension' }).click(),
    ]);
    await page.waitForFunction(() => !document.querySelector('form button[type=submit][disabled]'), null, { timeout: WAIT });
    const outcome = (await page.locator('#new-extension-number-error').isVisible()) ? 'error' : 'created';
    await shot(shotName);
    if (outcome === 'error') {
      const input = page.locator('#new-extension-number');
      return {
        fieldError: await page.locator('#new-extension-number-error').innerText(),
        invalid: await input.getAttribute('aria-invalid'),
        describedBy: await input.getAttribute('aria-describedby'),
      };
    }
    return { created: await (await row(number)).innerText() };
  },
  async createTrunk({ name, host, port, username, password }) {
    await go('trunks');
    await page.getByRole('button', { name: 'New trunk' }).click();
    await page.fill('#new-trunk-name', name);
    await page.fill('#new-trunk-host', host);
    await page.fill('#new-trunk-port', String(port));
    await page.check('#new-trunk-register');
    await page.fill('#new-trunk-username', username);
    await page.fill('#new-trunk-password', password);
    await page.getByRole('button', { name: 'Create trunk' }).click();
    await row(name);
    await shot('10-trunk-created');
    return true;
  },
  /** Waits until the row containing `text` on the current page also contains `want`. */
  async waitRow({ text, want, shotName }) {
    const r = page.locator('tbody tr', { hasText: text }).filter({ hasText: want }).first();
    await r.waitFor({ timeout: WAIT });
    if (shotName) await shot(shotName);
    return r.innerText();
  },
  async hangUp({ caller, callee }) {
    await go('calls');
    const button = page.getByRole('button', { name: `Hang up the call from ${caller} to ${callee}` });
    await button.waitFor({ timeout: WAIT });
    await shot('20-live-call');
    await button.click();
    await page.getByText('Nobody is on the phone.').waitFor({ timeout: WAIT });
    await shot('21-call-hung-up');
    return true;
  },
  async downloadCsv({ number }) {
    await go('cdrs');
    await page.fill('#cdr-number', number);
    await page.getByRole('button', { name: 'Show' }).click();
    await row(number);
    await shot('30-call-history');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: WAIT }), page.getByRole('button', { name: 'Download CSV' }).click()]);
    const path = await download.path();
    return { name: download.suggestedFilename(), csv: readFileSync(path, 'utf8') };
  },
  /** Form controls without a label, on the current page. */
  async unlabelled() {
    return page.evaluate(() =>
      [...document.querySelectorAll('input, select, textarea, button')]
        .filter((el) => !(el.labels && el.labels.length > 0) && !el.getAttribute('aria-label') && !(el.tagName === 'BUTTON' && el.textContent.trim()))
        .map((el) => el.outerHTML.slice(0, 120)),
    );
  },
  /** The page at phone size: whether it overflows sideways; a screenshot. */
  async phone({ path }) {
    await page.setViewportSize({ width: 390, height: 844 });
    await go(path);
    await page.waitForLoadState('networkidle');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await shot(`40-phone-${path}`);
    await page.setViewportSize({ width: 1280, height: 900 });
    return { overflow };
  },
  /** The keyboard: Tab from the top reaches the skip link, then the page links. */
  async keyboard() {
    await page.reload();
    await page.locator('main h1').first().waitFor({ timeout: WAIT });
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => document.activeElement?.textContent?.trim());
    return { first };
  },
  async errors() {
    return consoleErrors;
  },
};

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  let answer;
  try {
    const { do: name, ...args } = JSON.parse(line);
    if (!commands[name]) throw new Error(`no command ${name}`);
    answer = { ok: true, value: await commands[name](args) };
  } catch (e) {
    await shot('failed').catch(() => {});
    answer = { ok: false, error: String(e && e.stack ? e.stack : e) };
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}
await context.close();
rmSync(profile, { recursive: true, force: true });
