// @ts-check
/**
 * Smoke test of the built dashboard in Debian's Chromium against a running Vanguard server.
 *
 *   VANGUARD_URL=http://127.0.0.1:8123 VANGUARD_USER=zuzhibu VANGUARD_PASSWORD=... \
 *   VANGUARD_ROOT_ORG=中共青山县委员会 npm run e2e
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';

/** @param {string} name */
function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name} (see the comment at the top of ${import.meta.filename})`);
  return value;
}

const baseUrl = env('VANGUARD_URL').replace(/\/$/, '');
const username = env('VANGUARD_USER');
const password = env('VANGUARD_PASSWORD');
const rootOrg = env('VANGUARD_ROOT_ORG');
const artifacts = join(import.meta.dirname, 'screenshots');

/** @type {string} */
let profileDir;
/** @type {import('playwright-core').BrowserContext} */
let browser;

before(async () => {
  profileDir = await mkdtemp(join(tmpdir(), 'vanguard-e2e-'));
  await mkdir(artifacts, { recursive: true });
  browser = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    locale: 'zh-CN',
    timezoneId: process.env.E2E_TIMEZONE ?? 'Asia/Shanghai',
    viewport: { width: 1440, height: 900 },
  });
});

after(async () => {
  await browser?.close();
  await rm(profileDir, { recursive: true, force: true });
});

/**
 * @param {import('playwright-core').Page} page
 * @param {string} user
 * @param {string} secret
 */
async function signIn(page, user, secret) {
  await page.getByLabel('用户名').fill(user);
  await page.getByLabel('密码').fill(secret);
  await page.getByRole('button', { name: /登\s*录/ }).click();
}

test('a wrong password is refused with the server’s message', async () => {
  const page = await browser.newPage();
  await page.goto(`${baseUrl}/`);
  await page.waitForURL(/\/login$/);
  await signIn(page, username, `${password}-wrong`);
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match((await alert.textContent()) ?? '', /用户名或密码错误/);
  await page.screenshot({ path: join(artifacts, 'login-refused.png') });
  await page.close();
});

test('signing in returns to the organisation tree, which expands and shows details', async () => {
  const page = await browser.newPage();
  await page.goto(`${baseUrl}/orgs`);
  await page.waitForURL(/\/login$/);
  await signIn(page, username, password);

  const nodes = page.locator('.ant-tree-treenode');
  const root = nodes.filter({ hasText: rootOrg }).first();
  await root.waitFor();

  if ((await root.getAttribute('aria-expanded')) !== 'true') {
    await root.locator('.ant-tree-switcher').click();
  }
  const names = nodes.locator('.org-title-name');
  await names.nth(1).waitFor();
  const titles = await names.allTextContents();
  assert.ok(titles.length > 1, `expected children under ${rootOrg}, saw ${titles.join(', ')}`);

  const child = titles[1] ?? '';
  await nodes.filter({ hasText: child }).first().locator('.ant-tree-node-content-wrapper').click();
  const detail = page.getByTestId('org-detail');
  await detail.getByText(child, { exact: true }).waitFor();
  await page.getByText('党员总数').first().waitFor();

  await page.screenshot({ path: join(artifacts, 'org-tree.png'), fullPage: true });
  await page.close();
});
