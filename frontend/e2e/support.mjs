// @ts-check
/**
 * What the browser tests share: the server under test and its demo password (from the environment, see
 * run-against-backend.sh), Debian's Chromium signed in as a demo user, API reads to check what the UI
 * did, and pages that leave a screenshot where they failed.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
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

/**
 * Chromium with a desktop-sized context in China's time zone, signed in through the login page.
 * @param {string} username
 */
export async function openOffice(username) {
  await mkdir(screenshots, { recursive: true });
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const browser = await chromium.launch({ executablePath, headless: true, args: ARGS });
  const timezoneId = process.env.E2E_TIMEZONE ?? 'Asia/Shanghai';
  const office = await browser.newContext({ locale: 'zh-CN', timezoneId, viewport: { width: 1440, height: 900 } });
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
