// @ts-check
/**
 * What the browser tests share: the server under test and its demo password (from the environment, see
 * run-against-backend.sh), Debian's Chromium signed in as a demo user, API reads to check what the UI
 * did, and pages that leave a screenshot where they failed.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

/** @param {string} name */
export function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name} (see frontend/e2e/run-against-backend.sh)`);
  return value;
}

export const baseUrl = env('VANGUARD_URL').replace(/\/$/, '');
export const password = env('VANGUARD_PASSWORD');
export const screenshots = join(import.meta.dirname, 'screenshots');

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'];

/**
 * An access token for a demo user.
 * @param {string} username
 * @returns {Promise<string>}
 */
export async function signInApi(username) {
  const response = await fetch(`${baseUrl}/api/v1/auth/token`, { method: 'POST', body: new URLSearchParams({ username, password }) });
  assert.equal(response.status, 200, `the demo user ${username} cannot sign in`);
  return /** @type {{access_token: string}} */ (await response.json()).access_token;
}

/**
 * GET from the API with a token; anything but 200 fails the test.
 * @param {string} token
 * @param {string} path
 * @returns {Promise<any>}
 */
export async function apiGet(token, path) {
  const response = await fetch(`${baseUrl}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` } });
  if (response.status !== 200) assert.fail(`GET ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** Debian's Chromium, headless, with the screenshots folder ready. */
async function launch() {
  await mkdir(screenshots, { recursive: true });
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  return chromium.launch({ executablePath, headless: true, args: ARGS });
}

/** Chinese, in China's time zone. */
const CONTEXT = { locale: 'zh-CN', timezoneId: process.env.E2E_TIMEZONE ?? 'Asia/Shanghai' };

/** Chromium with a phone-sized context (375×812, touch) and no one signed in: how the masses open a public page. */
export async function openPhone() {
  const browser = await launch();
  const phone = await browser.newContext({ ...CONTEXT, viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
  return { browser, phone };
}

/**
 * Chromium with a desktop-sized context in China's time zone, signed in through the login page.
 * @param {string} username
 */
export async function openOffice(username) {
  const browser = await launch();
  const office = await browser.newContext({ ...CONTEXT, viewport: { width: 1440, height: 900 } });
  const page = await office.newPage();
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('current-user').waitFor();
  await page.close();
  return { browser, office };
}

/**
 * Waits until `predicate` (a function run in the page) returns true. Not `page.waitForFunction`: it
 * polls by evaluating a string in the page, which the app's Content-Security-Policy (no 'unsafe-eval')
 * refuses; `page.evaluate` goes through the DevTools protocol, which the policy does not govern.
 * @param {import('playwright-core').Page} page
 * @param {() => boolean} predicate
 */
export async function waitInPage(page, predicate, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(predicate))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting in the page for ${predicate}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Runs `body` on a fresh page of `context`; on failure, leaves a screenshot of where it stopped.
 * @param {import('playwright-core').BrowserContext} context
 * @param {string} name
 * @param {(page: import('playwright-core').Page) => Promise<void>} body
 */
export async function onPage(context, name, body) {
  const page = await context.newPage();
  try {
    await body(page);
  } catch (error) {
    await page.screenshot({ path: join(screenshots, `failed-${name}.png`), fullPage: true }).catch(() => undefined);
    throw error;
  } finally {
    await page.close();
  }
}

/**
 * A test file's sign-in, one line at its top: registers `before` (Chromium signed in as `username` through
 * the login page, and that user's API token) and `after` (closes the browser), and returns
 * `api(path, bearer?)` reading as that user (or another token), `onPage(name, body)` on a fresh page of
 * the signed-in context, and the `token` once signed in.
 * @param {string} username
 */
export function signedIn(username) {
  /** @type {{browser: import('playwright-core').Browser, office: import('playwright-core').BrowserContext, token: string} | undefined} */
  let session;
  const current = () => session ?? assert.fail(`${username} is not signed in yet: call api/onPage inside a test`);
  before(async () => {
    const token = await signInApi(username);
    session = { ...(await openOffice(username)), token };
  });
  after(async () => {
    await session?.browser.close();
  });
  return {
    /** @param {string} path @param {string} [bearer] */
    api: (path, bearer) => apiGet(bearer ?? current().token, path),
    /** @param {string} name @param {(page: import('playwright-core').Page) => Promise<void>} body */
    onPage: (name, body) => onPage(current().office, name, body),
    get token() {
      return current().token;
    },
  };
}
