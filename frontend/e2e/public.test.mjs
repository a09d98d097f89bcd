/// <reference lib="dom" />
// @ts-check
/**
 * Webhooks, the masses' ballot sheet and a member's own page, in Debian's Chromium against a running
 * Vanguard server with the demo county: the county organisation department subscribes an endpoint (its
 * signing secret shown once), pings it and finds the delivery; issues ballot tokens for an open evaluation
 * round of the sample branch; one of the masses opens a sheet link on a phone, rates and submits, and the
 * link then says it was used; the round is closed, scored and published; the branch's member with an
 * account opens 我的 and sees their published score, their record (masked) and their study archive.
 *
 *   frontend/e2e/run-against-backend.sh e2e/public.test.mjs
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { baseUrl, env, openPhone, screenshots, signedIn, signInApi, waitInPage } from './support.mjs';

/* global document, window -- in functions that run in the page (waitInPage) */

const staff = signedIn(env('VANGUARD_USER'));
const member = signedIn(env('VANGUARD_MEMBER_USER'));

/** @type {Awaited<ReturnType<typeof openPhone>> | undefined} */
let phone;
before(async () => {
  phone = await openPhone();
});
after(async () => {
  await phone?.browser.close();
});

/**
 * POST to the API as the department; anything but 2xx fails the test.
 * @param {string} path
 * @param {unknown} body
 * @returns {Promise<any>}
 */
async function apiPost(path, body) {
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${staff.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) assert.fail(`POST ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

const hookUrl = `http://127.0.0.1:9/e2e-${Date.now()}`;
// Last year's scheme: an org has one scheme per period, and scoring.test.mjs takes this year's for the branch.
const schemeYear = new Date().getFullYear() - 1;
/** @type {{schemeId: number, roundId: number, branchName: string, link: string, rated: string}} */
const flow = { schemeId: 0, roundId: 0, branchName: '', link: '', rated: '' };

test('the department subscribes a webhook, sees its secret once, pings it and finds the delivery', () =>
  staff.onPage('webhooks', async (page) => {
    await page.goto(`${baseUrl}/webhooks`);
    await page.getByRole('button', { name: /新建订阅/ }).click();
    const dialog = page.getByRole('dialog').filter({ hasText: '新建事件订阅' });
    await dialog.waitFor();
    await dialog.getByLabel('接收地址').fill(hookUrl);
    await dialog.getByLabel('说明').fill('e2e 接收端');
    await dialog.getByText('测试推送', { exact: true }).click();
    await dialog.getByText('诉求已受理', { exact: true }).click();
    await dialog.getByRole('button', { name: /保\s*存/ }).click();

    const secret = page.getByTestId('shown-once-secret');
    await secret.waitFor();
    const shown = (await secret.textContent())?.trim() ?? '';
    assert.match(shown, /^whsec_/);
    await page.getByRole('button', { name: /我已保存/ }).click();
    await secret.waitFor({ state: 'detached' });
    assert.equal(await page.getByText(shown).count(), 0, 'the secret is gone once the modal is closed');

    const [stored] = (await staff.api('/webhooks?limit=500')).items.filter((/** @type {any} */ w) => w.url === hookUrl);
    assert.ok(stored, 'the webhook was created');
    assert.deepEqual([...stored.event_types].sort(), ['complaint.received', 'webhook.ping']);
    assert.equal('secret' in stored, false, 'a read never carries the secret');

    const row = page.getByTestId('webhook-table').locator('.ant-table-row', { hasText: hookUrl });
    await row.getByText('诉求已受理').waitFor();
    await waitInPage(page, () => document.querySelectorAll('.ant-message-notice').length === 0);
    await page.screenshot({ path: join(screenshots, 'webhooks.png') });

    await row.getByRole('button', { name: /测试推送/ }).click();
    await page.getByText('已加入测试推送，请在推送记录中查看结果').waitFor();
    const deliveries = (await staff.api(`/webhooks/${stored.id}/deliveries`)).items;
    assert.equal(deliveries.length, 1);
    assert.equal(deliveries[0].event_type, 'webhook.ping');

    await row.getByRole('button', { name: /推送记录/ }).click();
    const table = page.getByTestId('delivery-table');
    await table.locator('.ant-table-row').first().waitFor();
    assert.equal(await table.locator('.ant-table-row').count(), 1);
    await table.locator('.ant-table-row').first().getByText('测试推送').waitFor();
    // The drawer has finished sliding in.
    await waitInPage(page, () => {
      const d = document.querySelector('.ant-drawer-content-wrapper');
      return d !== null && Math.abs(d.getBoundingClientRect().right - window.innerWidth) < 1;
    });
    await waitInPage(page, () => document.querySelectorAll('.ant-message-notice').length === 0);
    await page.screenshot({ path: join(screenshots, 'webhook-deliveries.png') });
  }));

test('ballot tokens are issued for an open round and shown as sheet links', () =>
  staff.onPage('ballot-tokens', async (page) => {
    const shuji = await staff.api('/auth/me', await signInApi(env('VANGUARD_SECRETARY_USER')));
    flow.branchName = (await staff.api(`/orgs/${shuji.org_id}`)).name;
    const scheme = await apiPost('/scoring/schemes', { org_id: shuji.org_id, name: `群众评议 e2e ${Date.now()}`, year: schemeYear });
    const round = await apiPost(`/scoring/schemes/${scheme.id}/rounds`, { org_id: shuji.org_id });
    flow.schemeId = scheme.id;
    flow.roundId = round.id;

    await page.goto(`${baseUrl}/scoring/schemes/${scheme.id}?tab=rounds&round=${round.id}`);
    const panel = page.getByTestId('round-panel');
    await panel.getByRole('button', { name: /发放群众评议码/ }).click();
    const dialog = page.getByRole('dialog').filter({ hasText: '发放群众评议码' });
    await dialog.getByLabel('数量').fill('2');
    await dialog.getByRole('button', { name: /发\s*放/ }).click();
    const links = dialog.getByTestId('sheet-links');
    await links.waitFor();
    const issued = (await links.inputValue()).split('\n');
    assert.equal(issued.length, 2);
    for (const link of issued) assert.match(link, new RegExp(`^${baseUrl}/public/scoring/sheets/[^/]+$`));
    flow.link = issued[0] ?? '';
    await dialog.getByRole('button', { name: /完\s*成/ }).click();
    await panel.getByText('群众评议码已用 0 / 2').waitFor();
  }));

test('one of the masses rates on a phone, without an account; the link then says it was used', async () => {
  assert.ok(flow.link, 'no sheet link was issued');
  assert.ok(phone);
  const page = await phone.phone.newPage();
  try {
    await page.goto(flow.link);
    await page.getByText(`${flow.branchName} · ${schemeYear}年度党员民主评议`).waitFor();
    const sheet = page.getByTestId('ballot-sheet');
    const first = sheet.getByRole('radiogroup').first();
    flow.rated = ((await first.getAttribute('aria-label')) ?? '').replace(/^对 (.*) 的评议$/, '$1');
    await first.getByText('优秀', { exact: true }).click();
    await page.getByTestId('ballot-progress').getByText(/^已评 1 \//).waitFor();
    // Nothing sticks out of a 375px screen.
    assert.equal(await page.evaluate('document.documentElement.scrollWidth'), 375);
    await page.screenshot({ path: join(screenshots, 'ballot-sheet-phone.png') });

    await page.getByRole('button', { name: '提交评议' }).click();
    await page.getByText('感谢您的评议！').waitFor();
    const ballots = (await staff.api(`/scoring/rounds/${flow.roundId}/ballots`)).items;
    assert.deepEqual(
      ballots.map((/** @type {any} */ b) => [b.rater_group, b.grade]),
      [['masses', 'excellent']],
    );

    await page.reload();
    await page.getByTestId('sheet-unavailable').getByText('该评议码已使用').waitFor();
  } finally {
    await page.close();
  }
});

test('the round is closed and the results published', () =>
  staff.onPage('ballot-publish', async (page) => {
    assert.ok(flow.schemeId, 'the scheme was not created');
    await page.goto(`${baseUrl}/scoring/schemes/${flow.schemeId}?tab=rounds&round=${flow.roundId}`);
    await page.getByTestId('round-panel').getByRole('button', { name: /结束评议/ }).click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: /结束评议/ }).click();
    await page.getByTestId('round-panel').getByText('已结束').waitFor();

    await page.goto(`${baseUrl}/scoring/schemes/${flow.schemeId}?tab=results`);
    await page.getByRole('button', { name: /重新计算/ }).click();
    await page.getByTestId('recompute-progress').getByText('计算完成').waitFor();
    await page.getByTestId('publish-scheme').click();
    await page.locator('.ant-modal-confirm').filter({ hasText: '确认发布结果？' }).getByRole('button', { name: /发布结果/ }).click();
    await page.getByTestId('scheme-status').getByText('已发布').waitFor();
    assert.equal((await staff.api(`/scoring/schemes/${flow.schemeId}`)).status, 'published');
  }));

test('a member with an account opens 我的: their published score, record and study archive', () =>
  member.onPage('my', async (page) => {
    const me = await member.api('/auth/me');
    assert.ok(me.member_id, 'the demo member account is linked to a member record');
    await page.goto(`${baseUrl}/`);
    await page.getByRole('menuitem', { name: /我的$/ }).click();
    await page.waitForURL(`${baseUrl}/my`);
    // Their latest published result, as the API gives it to them.
    const result = await member.api(`/scoring/results/${me.member_id}`);
    assert.equal(result.published, true);
    await page.getByTestId('explanation-score').getByText(result.score).waitFor();
    await page.getByTestId('explanation').waitFor();
    // Their record, masked as for anyone without pii, and their study archive without the staff's export.
    const record = await member.api(`/members/${me.member_id}`);
    assert.equal(record.id_number_masked, true);
    if (record.phone) await page.getByTestId('my-record').getByText(record.phone).waitFor();
    await page.getByTestId('my-record').getByText(record.org_name).first().waitFor();
    const archive = await member.api(`/members/${me.member_id}/study?year=${new Date().getFullYear()}`);
    assert.equal(archive.member.id, me.member_id);
    await page.getByTestId('my-study').getByText('学时合计').first().waitFor();
    assert.equal(await page.getByTestId('my-study').getByRole('button', { name: /导出/ }).count(), 0);
    await page.screenshot({ path: join(screenshots, 'my.png'), fullPage: true });
  }));
