/// <reference lib="dom" />
// @ts-check
/**
 * Appeals, reports and criticisms (申诉、检举、控告、批评建议), in Debian's Chromium against a running
 * Vanguard server with the demo county: the sample branch's member with an account files a criticism of
 * their own branch on 我的申诉检举; the county organisation department (handling the org above the branch)
 * finds it on 申诉检举办理, accepts it and answers in writing; the member then reads the answer.
 *
 *   E2E_PORT=8132 frontend/e2e/run-against-backend.sh e2e/petitions.test.mjs
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { baseUrl, env, signedIn } from './support.mjs';

const staff = signedIn(env('VANGUARD_USER'));
const member = signedIn(env('VANGUARD_MEMBER_USER'));

const title = `e2e 批评建议 ${Date.now()}`;
const answer = '已责成支部整改，三会一课按时召开。';

test('a member files a criticism of their branch; the county accepts and answers it; the member reads the answer', async () => {
  const me = await member.api('/auth/me');
  assert.ok(me.member_id, 'the demo member account is linked to a member record');
  const record = await member.api(`/members/${me.member_id}`);

  await member.onPage('petition-file', async (page) => {
    await page.goto(`${baseUrl}/petitions/mine`);
    await page.getByRole('button', { name: /提出申诉、检举或建议/ }).click();
    const dialog = page.getByRole('dialog').filter({ hasText: '提出申诉、检举或建议' });
    await dialog.getByText('被检举人看不到检举内容，也看不到是谁提出的').waitFor();
    await dialog.getByText('批评建议', { exact: true }).click();
    await dialog.getByRole('combobox', { name: '涉及组织' }).click();
    await page.locator('.ant-select-tree-title', { hasText: record.org_name }).first().click();
    await dialog.getByLabel('标题').fill(title);
    await dialog.getByLabel('内容').fill('支部三会一课流于形式，建议改进。');
    await dialog.getByRole('button', { name: /提\s*交/ }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.getByTestId('my-petitions').locator('.ant-table-row', { hasText: title });
    await row.getByText('待受理').waitFor();
  });

  const [filed] = (await member.api('/petitions/mine?limit=100')).items.filter((/** @type {any} */ p) => p.title === title);
  assert.ok(filed, 'the petition was filed');
  assert.equal(filed.kind, 'criticism');
  assert.equal(filed.concerned_org_id, record.org_id);

  await staff.onPage('petition-answer', async (page) => {
    await page.goto(`${baseUrl}/petitions`);
    const row = page.getByTestId('petition-table').locator('.ant-table-row', { hasText: title });
    await row.getByText(me.display_name).waitFor();
    await row.getByRole('button', { name: title }).click();
    const drawer = page.locator('.ant-drawer').filter({ hasText: title });
    await drawer.getByRole('button', { name: /^受\s*理$/ }).click();
    const accept = page.getByRole('dialog').filter({ hasText: `受理 · #${filed.id}` });
    await accept.getByRole('button', { name: /^受\s*理$/ }).click();
    await accept.waitFor({ state: 'detached' });
    await drawer.getByTestId('petition-state').filter({ hasText: '已受理' }).waitFor();

    await drawer.getByRole('button', { name: '书面答复' }).click();
    const dialog = page.getByRole('dialog').filter({ hasText: `书面答复 · #${filed.id}` });
    await dialog.getByLabel('书面答复').fill(answer);
    await dialog.getByRole('button', { name: '书面答复' }).click();
    await dialog.waitFor({ state: 'detached' });
    await drawer.getByTestId('petition-state').filter({ hasText: '已答复' }).waitFor();
  });

  await member.onPage('petition-read', async (page) => {
    await page.goto(`${baseUrl}/petitions/mine`);
    const row = page.getByTestId('my-petitions').locator('.ant-table-row', { hasText: title });
    await row.getByText('已答复').waitFor();
    await row.getByRole('button', { name: title }).click();
    await page.getByTestId('petition-answer').filter({ hasText: answer }).waitFor();
  });
});
