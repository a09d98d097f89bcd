/// <reference lib="dom" />
// @ts-check
/**
 * 党务公开 in Debian's Chromium against a running Vanguard server with the demo county: the county
 * organisation department drafts a public meeting resolution for the root organisation on the staff page
 * and publishes it; one of the masses then opens the organisation's public page on a phone (375×740),
 * finds the item there, and the page fits the screen.
 *
 *   E2E_PORT=8131 frontend/e2e/run-against-backend.sh e2e/publicity.test.mjs
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { baseUrl, env, openPhone, screenshots, signedIn } from './support.mjs';

const staff = signedIn(env('VANGUARD_USER'));
const rootOrg = env('VANGUARD_ROOT_ORG');

/** @type {Awaited<ReturnType<typeof openPhone>> | undefined} */
let phone;
before(async () => {
  phone = await openPhone();
});
after(async () => {
  await phone?.browser.close();
});

const title = `e2e 党员大会决议 ${Date.now()}`;
const todayInChina = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
/** @type {{ orgId: number }} */
const flow = { orgId: 0 };

test('the department drafts a public meeting resolution for the root organisation and publishes it', () =>
  staff.onPage('publicity-staff', async (page) => {
    const roots = await staff.api('/orgs/roots');
    const root = roots.items.find((/** @type {any} */ o) => o.name === rootOrg);
    assert.ok(root, `${rootOrg} is a root organisation`);
    flow.orgId = root.id;

    await page.goto(`${baseUrl}/publicity?org=${root.id}`);
    await page.getByRole('button', { name: /新建公开事项/ }).click();
    const dialog = page.getByRole('dialog').filter({ hasText: '新建公开事项' });
    await dialog.waitFor();
    await dialog.getByText('向社会公开', { exact: true }).click();
    await dialog.getByLabel('标题').fill(title);
    await dialog.getByLabel('正文').fill('经党员大会表决，同意实施村集体经济发展项目。');
    const meeting = dialog.getByLabel('会议日期');
    await meeting.click();
    await meeting.fill(todayInChina);
    await meeting.press('Enter');
    await dialog.getByRole('button', { name: /提\s*交/ }).click();
    await dialog.waitFor({ state: 'detached' });

    const row = page.getByTestId('publication-table').locator('.ant-table-row', { hasText: title });
    await row.getByText('草稿').waitFor();
    await row.getByRole('button', { name: /发\s*布/ }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: /发\s*布/ }).click();
    await row.getByText('已发布').waitFor();
    await page.screenshot({ path: join(screenshots, 'publicity-staff.png') });

    const { items } = await staff.api(`/publications?org_id=${root.id}&state=published&kind=meeting_resolution`);
    const stored = items.find((/** @type {any} */ item) => item.title === title);
    assert.ok(stored, 'the item was published');
    assert.equal(stored.audience, 'public');
    assert.equal(stored.meeting_on, todayInChina);
  }));

test('the masses find it on the organisation’s public page on a phone, with no horizontal scroll', async () => {
  assert.ok(flow.orgId, 'the item was published first');
  const context = phone?.phone ?? assert.fail('no phone');
  const page = await context.newPage();
  try {
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto(`${baseUrl}/public/orgs/${flow.orgId}/publications`);
    const card = page.locator('.ant-card', { hasText: title });
    await card.waitFor();
    await card.getByText('会议决议').waitFor();
    await card.getByText('经党员大会表决，同意实施村集体经济发展项目。').waitFor();
    await page.screenshot({ path: join(screenshots, 'publicity-public.png'), fullPage: true });
    assert.equal(await page.evaluate('document.documentElement.scrollWidth'), 375);
  } catch (error) {
    await page.screenshot({ path: join(screenshots, 'failed-publicity-public.png'), fullPage: true }).catch(() => undefined);
    throw error;
  } finally {
    await page.close();
  }
});
