// @ts-check
/**
 * A public complaint followed to close-out in Debian's Chromium against a running Vanguard server with
 * the demo county: a citizen files it on a phone and gets a tracking code; the county organisation
 * department accepts, assigns, promises and resolves it on the board; the citizen rates the result on
 * the tracking page; the department closes it (销号) and the board lists it as closed.
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
const staff = env('VANGUARD_USER');
const password = env('VANGUARD_PASSWORD');
// Public intake lands at the root organisation (VANGUARD_COMPLAINTS_INTAKE_ORG unset).
const rootOrg = env('VANGUARD_ROOT_ORG');
const screenshots = join(import.meta.dirname, 'screenshots');

/** @type {string} */
let profileDir;
/** @type {import('playwright-core').Browser} */
let browser;
/** @type {import('playwright-core').BrowserContext} */
let office;
/** @type {import('playwright-core').BrowserContext} */
let phone;
/** @type {string} */
let token;

/**
 * The API as the staff user, to check what the UI did.
 * @param {string} path
 * @returns {Promise<any>}
 */
async function api(path) {
  const response = await fetch(`${baseUrl}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` } });
  if (response.status !== 200) assert.fail(`GET ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

const args = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'];

before(async () => {
  const response = await fetch(`${baseUrl}/api/v1/auth/token`, {
    method: 'POST',
    body: new URLSearchParams({ username: staff, password }),
  });
  assert.equal(response.status, 200, `the demo user ${staff} cannot sign in`);
  token = /** @type {{access_token: string}} */ (await response.json()).access_token;

  profileDir = await mkdtemp(join(tmpdir(), 'vanguard-e2e-'));
  await mkdir(screenshots, { recursive: true });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args });
  const timezoneId = process.env.E2E_TIMEZONE ?? 'Asia/Shanghai';
  // The citizen on a phone, never signed in; the department at a desk.
  phone = await browser.newContext({
    locale: 'zh-CN',
    timezoneId,
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  office = await browser.newContext({ locale: 'zh-CN', timezoneId, viewport: { width: 1440, height: 900 } });
  const page = await office.newPage();
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('用户名').fill(staff);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('current-user').waitFor();
  await page.close();
});

after(async () => {
  await browser?.close();
  if (profileDir) await rm(profileDir, { recursive: true, force: true });
});

/**
 * Runs `body` on a fresh page of `context`; on failure, leaves a screenshot of where it stopped.
 * @param {import('playwright-core').BrowserContext} context
 * @param {string} name
 * @param {(page: import('playwright-core').Page) => Promise<void>} body
 */
async function onPage(context, name, body) {
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
 * The page does not scroll sideways: everything fits the phone's width.
 * @param {import('playwright-core').Page} page
 */
async function assertFitsWidth(page) {
  /** @type {{scroll: number, width: number}} */
  const { scroll, width } = await page.evaluate('({ scroll: document.documentElement.scrollWidth, width: window.innerWidth })');
  assert.ok(scroll <= width, `the page is ${scroll}px wide on a ${width}px screen`);
}

/**
 * Opens the item on the board by its tracking code, in the drawer.
 * @param {import('playwright-core').Page} page
 * @param {string} code
 * @param {string} title
 */
async function openOnBoard(page, code, title) {
  // The board keeps its filters in the address bar: a search by tracking code is a link.
  await page.goto(`${baseUrl}/complaints?q=${code}`);
  assert.equal(await page.getByPlaceholder('标题关键词或查询码').inputValue(), code);
  const row = page.getByTestId('complaint-table').locator('.ant-table-row', { hasText: title });
  // Settled: the row names its category and org once their names have loaded.
  await row.getByText('基础设施 / 道路交通').waitFor();
  await row.getByText(rootOrg).waitFor();
  assert.equal(await page.getByTestId('complaint-table').locator('.ant-table-row').count(), 1);
  await row.getByRole('button', { name: title }).click();
  const drawer = page.locator('.complaint-drawer');
  await drawer.getByTestId('complaint-timeline').waitFor();
  return { row, drawer };
}

/**
 * Takes one workflow step in the drawer: opens its dialog, lets `fill` complete it, submits, and
 * waits for the item's new state.
 * @param {import('playwright-core').Page} page
 * @param {import('playwright-core').Locator} drawer
 * @param {string} action
 * @param {string} status
 * @param {(dialog: import('playwright-core').Locator) => Promise<void>} [fill]
 * @param {string} [screenshot]
 */
async function step(page, drawer, action, status, fill, screenshot) {
  await drawer.getByTestId('complaint-actions').getByRole('button', { name: new RegExp(`^${action.split('').join('\\s*')}$`) }).click();
  const dialog = page.getByRole('dialog').filter({ hasText: `${action} · #` });
  await dialog.waitFor();
  if (fill) await fill(dialog);
  if (screenshot) await page.screenshot({ path: join(screenshots, screenshot) });
  await dialog.getByRole('button', { name: /提\s*交/ }).click();
  await dialog.waitFor({ state: 'detached' });
  await drawer.getByTestId('complaint-status').getByText(status, { exact: true }).waitFor();
}

/** @type {{code: string, title: string}} */
const filed = { code: '', title: `e2e 村口道路塌陷 ${Date.now()}` };

test('a citizen files a complaint on a phone and gets a tracking code', () =>
  onPage(phone, 'public-submit', async (page) => {
    await page.goto(`${baseUrl}/public/complaints`);
    await page.getByRole('tab', { name: '我要反映' }).waitFor();
    // Not signed in, and not sent to the login page.
    assert.match(page.url(), /\/public\/complaints$/);

    await page.getByLabel('诉求分类').click();
    await page.locator('.ant-select-dropdown').getByText('道路交通', { exact: true }).click();
    await page.getByLabel('标题').fill(filed.title);
    await page.getByLabel('具体内容').fill('村口主路塌陷一米见方，夜间有摔伤风险，请尽快处理。');
    await page.getByLabel('地点').fill('罗湾村村口');
    await page.getByLabel('姓名').fill('王小明');
    await page.getByLabel('手机号').fill('13812345678');
    await assertFitsWidth(page);
    await page.screenshot({ path: join(screenshots, 'public-submit.png'), fullPage: true });

    await page.getByRole('button', { name: '提交诉求' }).click();
    const code = page.getByTestId('tracking-code');
    await code.waitFor();
    filed.code = ((await code.textContent()) ?? '').trim();
    assert.match(filed.code, /^[A-Z2-9]{12}$/);
    await assertFitsWidth(page);
    await page.screenshot({ path: join(screenshots, 'public-receipt.png'), fullPage: true });

    // Its progress, straight from the receipt.
    await page.getByRole('button', { name: '查看进度' }).click();
    await page.getByTestId('public-status').getByText('已登记').waitFor();
    await page.getByText('办结后可在此评价办理结果。').waitFor();
  }));

test('the department accepts, assigns, promises and resolves it on the board', () =>
  onPage(office, 'board-handle', async (page) => {
    assert.ok(filed.code, 'the citizen’s complaint was not filed');
    const { drawer } = await openOnBoard(page, filed.code, filed.title);
    // The handling org's own staff see the reporter; the tracking code is shown to read out.
    await drawer.getByText('13812345678').waitFor();
    await drawer.getByText(filed.code).waitFor();
    await page.screenshot({ path: join(screenshots, 'complaint-drawer.png') });

    await step(page, drawer, '受理', '已受理', async (dialog) => {
      await dialog.getByLabel('内部备注（群众不可见）').fill('e2e：当日受理');
    });
    await step(
      page,
      drawer,
      '交办',
      '已交办',
      async (dialog) => {
        // The handling org stays the county's; the department's own account is responsible.
        await dialog.getByLabel('责任人').click();
        await page.locator('.ant-select-dropdown:visible').getByText(new RegExp(`（${staff}）`)).click();
      },
      'complaint-assign.png',
    );
    await step(page, drawer, '承诺办理', '办理中', async (dialog) => {
      await dialog.getByLabel('承诺事项（群众可见）').fill('三日内回填路面并设置警示标志');
    });
    await step(page, drawer, '办结', '已办结', async (dialog) => {
      await dialog.getByLabel('办理结果（群众可见）').fill('已回填硬化并设置警示标志，经验收合格');
    });
    // Closing waits for the reporter's rating.
    await assert.rejects(drawer.getByRole('button', { name: /销\s*号/ }).click({ timeout: 1000, trial: true }));
    await page.screenshot({ path: join(screenshots, 'complaint-resolved.png') });

    const item = await api(`/complaints?q=${filed.code}`);
    assert.equal(item.items.length, 1);
    assert.equal(item.items[0].status, 'resolved');
  }));

test('the citizen follows the progress by code and rates the result', () =>
  onPage(phone, 'public-rate', async (page) => {
    await page.goto(`${baseUrl}/public/complaints?tab=track&code=${filed.code}`);
    await page.getByTestId('public-status').getByText('已办结').waitFor();
    const progress = page.getByTestId('public-timeline');
    await progress.getByText('承诺：三日内回填路面并设置警示标志', { exact: false }).waitFor();
    await progress.getByText('已回填硬化并设置警示标志，经验收合格').waitFor();
    // The public sees no staff names and no internal notes.
    assert.doesNotMatch((await progress.textContent()) ?? '', /当日受理|县委组织部/);

    const rating = page.getByTestId('rating-form');
    await rating.getByRole('radio').nth(4).click();
    await rating.getByLabel('意见建议（选填）').fill('处理及时，非常满意');
    await assertFitsWidth(page);
    await page.screenshot({ path: join(screenshots, 'public-tracking.png'), fullPage: true });
    await rating.getByRole('button', { name: '提交评价' }).click();
    await page.getByText('感谢您的评价！').waitFor();
    await page.screenshot({ path: join(screenshots, 'public-rated.png'), fullPage: true });
  }));

test('the department closes it and the board lists it as closed', () =>
  onPage(office, 'board-close', async (page) => {
    const { drawer } = await openOnBoard(page, filed.code, filed.title);
    await drawer.getByText('处理及时，非常满意').waitFor();
    await step(page, drawer, '销号', '已销号', async (dialog) => {
      await dialog.getByText('已解决', { exact: true }).click();
    });
    await drawer.getByText('销号', { exact: true }).first().waitFor();
    await page.keyboard.press('Escape');

    await page.getByRole('tab', { name: '已销号' }).click();
    await page.waitForURL(/tab=closed/);
    const row = page.getByTestId('complaint-table').locator('.ant-table-row', { hasText: filed.title });
    await row.getByText('已销号').waitFor();
    await page.screenshot({ path: join(screenshots, 'complaints-board.png'), fullPage: true });

    // The ledger of the same filters, as a spreadsheet.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /导出 Excel/ }).click()]);
    assert.match(download.suggestedFilename(), /\.xlsx$/);

    const [summary] = (await api(`/complaints?q=${filed.code}`)).items;
    const item = await api(`/complaints/${summary.id}`);
    assert.equal(item.status, 'closed');
    assert.equal(item.closure_reason, 'fixed');
    assert.equal(item.rating, 5);
    const kinds = (await api(`/complaints/${summary.id}/timeline`)).map((/** @type {any} */ event) => event.kind);
    assert.deepEqual(kinds, ['received', 'accepted', 'assigned', 'started', 'resolved', 'rated', 'closed']);
  }));
