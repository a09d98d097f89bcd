// @ts-check
/**
 * The branch secretary's everyday flows in Debian's Chromium against a running Vanguard server with
 * the demo county: find a member and advance their development, record a meeting with attendance.
 *
 *   VANGUARD_URL=http://127.0.0.1:8123 VANGUARD_SECRETARY_USER=shuji VANGUARD_PASSWORD=... npm run e2e
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
const secretary = process.env.VANGUARD_SECRETARY_USER ?? 'shuji';
const password = env('VANGUARD_PASSWORD');
const screenshots = join(import.meta.dirname, 'screenshots');

/** @type {string} */
let profileDir;
/** @type {import('playwright-core').BrowserContext} */
let browser;
/** @type {string} */
let token;

/**
 * The API as the secretary, to choose test subjects and check what the UI did.
 * @param {string} path
 * @returns {Promise<any>}
 */
async function api(path) {
  const response = await fetch(`${baseUrl}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` } });
  if (response.status !== 200) assert.fail(`GET ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

before(async () => {
  const response = await fetch(`${baseUrl}/api/v1/auth/token`, {
    method: 'POST',
    body: new URLSearchParams({ username: secretary, password }),
  });
  assert.equal(response.status, 200, `the demo secretary ${secretary} cannot sign in`);
  token = /** @type {{access_token: string}} */ (await response.json()).access_token;

  profileDir = await mkdtemp(join(tmpdir(), 'vanguard-e2e-'));
  await mkdir(screenshots, { recursive: true });
  browser = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
    locale: 'zh-CN',
    // Where the users are; E2E_TIMEZONE=Pacific/Pago_Pago checks that dates still follow China's calendar.
    timezoneId: process.env.E2E_TIMEZONE ?? 'Asia/Shanghai',
    viewport: { width: 1440, height: 900 },
  });
  // Sign in once; the pages share the profile's stored session.
  const page = await browser.newPage();
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('用户名').fill(secretary);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('current-user').waitFor();
  await page.close();
});

/**
 * Runs `body` on a fresh page; on failure, leaves a screenshot of where it stopped.
 * @param {string} name
 * @param {(page: import('playwright-core').Page) => Promise<void>} body
 */
async function onPage(name, body) {
  const page = await browser.newPage();
  try {
    await body(page);
  } catch (error) {
    await page.screenshot({ path: join(screenshots, `failed-${name}.png`), fullPage: true }).catch(() => undefined);
    throw error;
  } finally {
    await page.close();
  }
}

after(async () => {
  await browser?.close();
  if (profileDir) await rm(profileDir, { recursive: true, force: true });
});

test('the secretary finds an activist from the org tree and makes them a candidate', () =>
  onPage('development', async (page) => {
  const due = await api('/development/due?within_days=366&limit=500');
  // The server's today: the step is dated today by default, and the server refuses days after its own.
  const today = due.as_of;
  /** @type {{member_id: number, member_name: string, org_name: string}} */
  const subject = due.items.find(
    (/** @type {any} */ item) => item.rule === 'candidate_eligible' && item.due_on <= today,
  );
  assert.ok(subject, 'the demo branch should have an activist of a year or more');

  await page.goto(`${baseUrl}/orgs`);
  const detail = page.getByTestId('org-detail');
  await detail.getByText(subject.org_name, { exact: true }).waitFor();
  await detail.getByRole('button', { name: /查看党员/ }).click();
  await page.waitForURL(/\/members\?org=\d+/);

  await page.getByPlaceholder('姓名、拼音首字母、手机号或身份证号').fill(subject.member_name);
  await page.getByRole('button', { name: /查\s*询/ }).click();
  const row = page.getByTestId('member-table').locator('.ant-table-row', { hasText: subject.member_name });
  await row.waitFor();
  // ID numbers in the list are masked.
  assert.match((await row.textContent()) ?? '', /\*{4,}/);
  await page.screenshot({ path: join(screenshots, 'member-list.png'), fullPage: true });

  await row.getByRole('link', { name: subject.member_name }).click();
  await page.waitForURL(new RegExp(`/members/${subject.member_id}$`));
  const next = page.getByTestId('next-step');
  await next.getByText('下一步：列为发展对象').waitFor();
  await page.screenshot({ path: join(screenshots, 'member-detail.png'), fullPage: true });

  await next.getByRole('button', { name: /办理：列为发展对象/ }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('列为发展对象 · ' + subject.member_name).waitFor();
  await page.screenshot({ path: join(screenshots, 'member-advance-dialog.png') });
  await dialog.getByRole('button', { name: /提\s*交/ }).click();

  await page.getByTestId('member-stage').getByText('发展对象', { exact: true }).waitFor();
  await page.getByTestId('next-step').getByText('下一步：接收为预备党员').waitFor();
  await page.screenshot({ path: join(screenshots, 'member-advanced.png'), fullPage: true });

  const member = await api(`/members/${subject.member_id}`);
  assert.equal(member.stage, 'candidate');
  assert.equal(member.candidate_on, today);
  }));

test('the secretary records a branch meeting and takes its attendance', () =>
  onPage('attendance', async (page) => {
  await page.goto(`${baseUrl}/`);
  await page.getByRole('menuitem', { name: /学习活动/ }).click();
  await page.waitForURL(/\/study$/);
  await page.getByRole('button', { name: /登记活动/ }).click();

  const dialog = page.getByRole('dialog');
  const topic = `e2e 支部党员大会 ${Date.now()}`;
  // Two hours ago, in the browser's time zone: attendance can be taken once a meeting has started.
  const startsAt = await page.evaluate(() => {
    const at = new Date(Date.now() - 2 * 3600_000);
    const two = (/** @type {number} */ n) => String(n).padStart(2, '0');
    return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${two(at.getHours())}:${two(at.getMinutes())}`;
  });
  const time = dialog.getByLabel('时间');
  await time.click();
  await time.fill(startsAt);
  await time.press('Enter');
  await dialog.getByLabel('主题').fill(topic);
  await dialog.getByLabel('地点').fill('村委会会议室');
  await page.screenshot({ path: join(screenshots, 'activity-create.png') });
  await dialog.getByRole('button', { name: /提\s*交/ }).click();

  await page.waitForURL(/\/study\/\d+$/);
  const activityId = Number(new URL(page.url()).pathname.split('/').pop());
  await page.getByTestId('activity-topic').getByText(topic).waitFor();
  const rows = page.locator('.ant-table-row');
  await rows.first().waitFor();
  const count = await rows.count();
  assert.ok(count >= 3, `expected the branch roll, saw ${count} rows`);

  await page.getByRole('button', { name: /全部出席/ }).click();
  const excused = rows.nth(1);
  const absent = rows.nth(2);
  await excused.getByText('请假', { exact: true }).click();
  await absent.getByText('缺席', { exact: true }).click();

  // Leave without a reason is refused before anything is sent.
  await page.getByRole('button', { name: /提交考勤/ }).click();
  await page.getByRole('alert').getByText('请假须填写事由').waitFor();

  await excused.getByPlaceholder('请填写请假事由').fill('外出务工');
  await page.getByRole('button', { name: /提交考勤/ }).click();
  await page.getByText('考勤已保存').waitFor();
  await page.getByTestId('attendance-tally').getByText(`出席 ${count - 2} · 请假 1 · 缺席 1 · 未登记 0`).waitFor();
  await page.screenshot({ path: join(screenshots, 'attendance.png'), fullPage: true });

  const saved = await api(`/study/activities/${activityId}/attendance`);
  const statuses = saved.map((/** @type {any} */ row) => row.status);
  assert.equal(statuses.filter((/** @type {string} */ s) => s === 'present').length, count - 2);
  assert.deepEqual(
    saved.filter((/** @type {any} */ row) => row.status === 'excused').map((/** @type {any} */ row) => row.leave_reason),
    ['外出务工'],
  );

  await page.getByRole('menuitem', { name: /学习活动/ }).click();
  await page.locator('.ant-table-row', { hasText: topic }).waitFor();
  await page.screenshot({ path: join(screenshots, 'activities.png'), fullPage: true });

  // The meeting shows in an attendee's study archive.
  const attendee = saved.find((/** @type {any} */ row) => row.status === 'present');
  await page.goto(`${baseUrl}/members/${attendee.member_id}`);
  await page.getByRole('tab', { name: '学习档案' }).click();
  await page.getByRole('tabpanel').getByText(topic).waitFor();
  await page.screenshot({ path: join(screenshots, 'member-study-archive.png'), fullPage: true });

  // And in the compliance report of the secretary's branch.
  await page.getByRole('menuitem', { name: /三会一课/ }).click();
  await page.waitForURL(/\/study\/compliance$/);
  await page.getByText('达标组织').waitFor();
  await page.locator('.ant-table-row', { hasText: '党支部' }).first().waitFor();
  await page.screenshot({ path: join(screenshots, 'compliance.png'), fullPage: true });
  }));
