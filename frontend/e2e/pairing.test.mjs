// @ts-check
/**
 * The pairing ledger (结对帮扶台账) in Debian's Chromium against a running Vanguard server with the demo
 * county: the branch secretary opens the ledger (coverage figures and the branch's pairs), records a
 * visit on a pair, and closes a must-visit task (四必访) by hand; the API confirms both.
 *
 *   VANGUARD_URL=http://127.0.0.1:8123 VANGUARD_SECRETARY_USER=shuji VANGUARD_PASSWORD=... npm run e2e
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { baseUrl, env, screenshots, signedIn } from './support.mjs';

const secretary = env('VANGUARD_SECRETARY_USER');

const { api, onPage } = signedIn(secretary);


const workDone = `e2e 入户走访，送去米面油 ${Date.now()}`;

test('the secretary opens the ledger and records a visit on a pair', () =>
  onPage('pairing-visit', async (page) => {
    // What the ledger should show, read before the page loads (on SQLite, audited reads are writes:
    // reading alongside the page could make either wait for the lock).
    const { items: pairs } = await api('/pairing/pairs?status=active');
    assert.ok(pairs.length >= 3, 'the demo gives the secretary’s branch at least three active pairs');
    /** @type {Map<number, [string, string]>} */
    const names = new Map();
    for (const pair of pairs) {
      const helper = pair.helper_member_id ? (await api(`/members/${pair.helper_member_id}`)).name : (await api(`/users/${pair.helper_user_id}`)).display_name;
      const beneficiary = await api(`/pairing/beneficiaries/${pair.beneficiary_id}`);
      names.set(pair.id, [helper, beneficiary.member_name ?? beneficiary.head_name]);
    }

    await page.goto(`${baseUrl}/`);
    await page.getByRole('menuitem', { name: '结对帮扶' }).click();
    await page.waitForURL(/\/pairing$/);
    // The quarter's figures for the secretary's branch, and its pairs with names.
    const coverage = page.getByTestId('pairing-coverage');
    await coverage.getByText('困难党员结对覆盖').waitFor();
    const table = page.getByTestId('pair-table');
    const rows = table.locator('.ant-table-row');
    await rows.first().waitFor();
    assert.equal(await rows.count(), pairs.length);
    await table.getByText('帮扶中').first().waitFor();
    await table.getByText('包脱贫').first().waitFor();
    // Every helper's and beneficiary's name has loaded before the picture is taken.
    for (const [id, [helper, beneficiary]] of names) {
      const row = table.locator(`tr[data-row-key="${id}"]`);
      await row.getByText(helper, { exact: true }).waitFor();
      await row.getByText(beneficiary, { exact: true }).waitFor();
    }
    await page.screenshot({ path: join(screenshots, 'pairing-ledger.png'), fullPage: true });

    const first = pairs[0];
    await table.locator(`a[href="/pairing/pairs/${first.id}"]`).first().click();
    await page.waitForURL(new RegExp(`/pairing/pairs/${first.id}$`));
    await page.getByTestId('pair-goals').waitFor();
    const visits = page.getByTestId('visit-table');
    await visits.locator('.ant-table-row').first().waitFor();

    await page.getByRole('button', { name: /记录走访/ }).click();
    const dialog = page.getByRole('dialog').filter({ hasText: '记录走访 · ' });
    await dialog.waitFor();
    await dialog.getByLabel('走访内容').fill(workDone);
    await dialog.getByLabel('帮扶资金（元）').fill('200');
    await dialog.getByRole('button', { name: /提\s*交/ }).click();
    await dialog.waitFor({ state: 'detached' });
    await visits.getByText(workDone).waitFor();
    await page.screenshot({ path: join(screenshots, 'pairing-pair.png'), fullPage: true });

    const { items } = await api(`/pairing/pairs/${first.id}/visits?limit=100`);
    const recorded = items.find((/** @type {any} */ v) => v.work_done === workDone);
    assert.ok(recorded, 'the visit was recorded');
    assert.equal(recorded.type, 'routine');
    assert.equal(Number(recorded.money_given), 200);
  }));

test('the secretary closes an overdue must-visit task by hand', () =>
  onPage('pairing-tasks', async (page) => {
    // What the list should show, read before the page loads (see above).
    const { items: late } = await api('/pairing/tasks?overdue=true');
    assert.ok(late.length >= 1, 'the demo has an overdue must-visit task in the secretary’s branch');
    const { items: all } = await api('/pairing/tasks?limit=20');
    /** @type {Map<number, string>} */
    const members = new Map();
    for (const item of all) members.set(item.id, (await api(`/members/${item.member_id}`)).name);

    await page.goto(`${baseUrl}/pairing/tasks`);
    const table = page.getByTestId('task-table');
    const rows = table.locator('.ant-table-row');
    await rows.first().waitFor();
    // Overdue first; every member's name has loaded before the picture is taken.
    await rows.first().getByText(/逾期 \d+ 天/).waitFor();
    for (const [id, name] of members) {
      await table.locator(`tr[data-row-key="${id}"]`).getByText(name, { exact: true }).first().waitFor();
    }
    await page.screenshot({ path: join(screenshots, 'pairing-tasks.png'), fullPage: true });

    const task = late[0];
    const row = table.locator(`tr[data-row-key="${task.id}"]`);
    await row.getByRole('button', { name: /办结任务/ }).click();
    const dialog = page.getByRole('dialog').filter({ hasText: '办结任务 · ' });
    await dialog.waitFor();
    await dialog.getByLabel('办结说明').fill('e2e：支部书记已上门慰问');
    await dialog.getByRole('button', { name: /提\s*交/ }).click();
    await dialog.waitFor({ state: 'detached' });
    const closedRow = table.locator(`tr[data-row-key="${task.id}"]`);
    await closedRow.getByText('已办结').waitFor();
    await closedRow.getByText('e2e：支部书记已上门慰问').waitFor();

    const closed = await api(`/pairing/tasks/${task.id}`);
    assert.equal(closed.status, 'closed');
    assert.equal(closed.close_reason, 'e2e：支部书记已上门慰问');
  }));

test('a helper’s member page lists their pairs and their published score', () =>
  onPage('member-pairing', async (page) => {
    // A pair led by a full or probationary member: only they are scored.
    const { items: pairs } = await api('/pairing/pairs?status=active');
    let helped;
    for (const pair of pairs.filter((/** @type {any} */ p) => p.helper_member_id !== null)) {
      if (['full', 'probationary'].includes((await api(`/members/${pair.helper_member_id}`)).stage)) helped = pair;
    }
    assert.ok(helped, 'the demo has a pair led by a scored member');
    const beneficiary = await api(`/pairing/beneficiaries/${helped.beneficiary_id}`);
    const name = beneficiary.member_name ?? beneficiary.head_name;
    const result = await api(`/scoring/results/${helped.helper_member_id}`);

    await page.goto(`${baseUrl}/members/${helped.helper_member_id}`);
    await page.getByRole('tab', { name: '结对帮扶' }).click();
    const table = page.getByTestId('member-pairs');
    const link = table.getByRole('link', { name, exact: true });
    await link.waitFor();
    assert.equal(await link.getAttribute('href'), `/pairing/pairs/${helped.id}`);
    await page.screenshot({ path: join(screenshots, 'member-pairing.png'), fullPage: true });

    // The demo town's scores are published: the tab shows the same score as the API.
    await page.getByRole('tab', { name: '积分' }).click();
    await page.getByTestId('explanation-score').filter({ hasText: result.score }).waitFor();
    await page.screenshot({ path: join(screenshots, 'member-score.png'), fullPage: true });
  }));
